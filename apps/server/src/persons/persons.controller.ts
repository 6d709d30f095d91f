import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@vigil/auth';
import type { Page, PersonView } from '@vigil/contracts';
import { CurrentPrincipal, Roles } from '../auth/roles.decorator';
import { CreatePersonDto, ErasePersonDto, ListPersonsQuery, UpdatePersonDto } from './persons.dto';
import { ErasureReport, PersonsService } from './persons.service';
import { toPersonView } from './person.view';

@ApiTags('persons')
@Controller('persons')
export class PersonsController {
  constructor(private readonly persons: PersonsService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Add a person to the watchlist or the employee list (409 if the name is taken on that list)' })
  async create(@CurrentPrincipal() by: Principal, @Body() body: CreatePersonDto): Promise<PersonView> {
    return toPersonView(await this.persons.create(by, body));
  }

  @Get()
  @Roles('admin', 'security', 'reviewer')
  async list(@Query() query: ListPersonsQuery): Promise<Page<PersonView>> {
    const { items, total } = await this.persons.list(query);
    return { items: items.map(toPersonView), total, limit: query.limit, offset: query.offset };
  }

  @Get(':id')
  @Roles('admin', 'security', 'reviewer')
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<PersonView> {
    return toPersonView(await this.persons.get(id));
  }

  @Patch(':id')
  @Roles('admin')
  async update(
    @CurrentPrincipal() by: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdatePersonDto,
  ): Promise<PersonView> {
    return toPersonView(await this.persons.update(by, id, body));
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a person: the same complete erasure as POST /api/persons/:id/erase' })
  async delete(@CurrentPrincipal() by: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.persons.erase(by, id, 'deleted by an administrator');
  }

  @Post(':id/erase')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Erase everything about a person (references, crops, alerts, attendance); a tombstone without personal data remains' })
  async erase(@CurrentPrincipal() by: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: ErasePersonDto): Promise<ErasureReport> {
    return this.persons.erase(by, id, body.reason ?? 'erasure request');
  }
}
