import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@vigil/auth';
import type { CameraView, Page } from '@vigil/contracts';
import type { CameraEntity } from '@vigil/persistence';
import { CurrentPrincipal, Roles } from '../auth/roles.decorator';
import { PaginationQuery } from '../platform/pagination.dto';
import { CreateCameraDto, UpdateCameraDto } from './cameras.dto';
import { CamerasService } from './cameras.service';
import { toCameraView } from './camera.view';

@ApiTags('cameras')
@Controller('cameras')
export class CamerasController {
  constructor(private readonly cameras: CamerasService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Register a camera (400 for unsafe URLs, 409 if the name is taken)' })
  async create(@CurrentPrincipal() by: Principal, @Body() body: CreateCameraDto): Promise<CameraView> {
    return this.view(await this.cameras.create(by, body));
  }

  @Get()
  @Roles('admin', 'security')
  async list(@Query() query: PaginationQuery): Promise<Page<CameraView>> {
    const { items, total } = await this.cameras.list(query.limit, query.offset);
    const leases = new Map((await this.cameras.leases(items.map((c) => c.id))).map((l) => [l.cameraId, l]));
    return { items: items.map((c) => toCameraView(c, leases.get(c.id))), total, limit: query.limit, offset: query.offset };
  }

  @Get(':id')
  @Roles('admin', 'security')
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<CameraView> {
    return this.view(await this.cameras.get(id));
  }

  @Patch(':id')
  @Roles('admin')
  async update(
    @CurrentPrincipal() by: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateCameraDto,
  ): Promise<CameraView> {
    return this.view(await this.cameras.update(by, id, body));
  }

  private async view(camera: CameraEntity): Promise<CameraView> {
    const [lease] = await this.cameras.leases([camera.id]);
    return toCameraView(camera, lease);
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  async delete(@CurrentPrincipal() by: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.cameras.delete(by, id);
  }
}
