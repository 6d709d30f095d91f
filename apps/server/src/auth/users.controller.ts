import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal, UserDirectory } from '@vigil/auth';
import type { UserView } from '@vigil/contracts';
import { AppEvents } from '../core/app-events';
import { CurrentPrincipal, Roles } from './roles.decorator';
import { toUserView } from './user.view';
import { CreateUserDto, PatchUserDto, SetPasswordDto } from './users.dto';

/** Staff accounts, managed by administrators. */
@ApiTags('users')
@Controller('users')
@Roles('admin')
export class UsersController {
  constructor(private readonly users: UserDirectory, private readonly events: AppEvents) {}

  @Get()
  async list(): Promise<UserView[]> {
    return (await this.users.list()).map(toUserView);
  }

  @Post()
  @ApiOperation({ summary: 'Create a staff account (admin, security or reviewer).' })
  async create(@CurrentPrincipal() by: Principal, @Body() body: CreateUserDto): Promise<UserView> {
    return toUserView(await this.users.create(by, body));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename, change role, or disable/enable an account. Disabling cuts its sessions, tokens and sockets at once.' })
  async patch(@CurrentPrincipal() by: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: PatchUserDto): Promise<UserView> {
    let user = body.displayName !== undefined || body.role !== undefined ? await this.users.patch(by, id, { displayName: body.displayName, role: body.role }) : null;
    if (body.disabled !== undefined) {
      const result = await this.users.setDisabled(by, id, body.disabled);
      if (result.ended) this.events.emit('access.ended', { ...result.ended, wholeUser: true });
      user = result.user;
    }
    return toUserView(user ?? (await this.users.get(id)));
  }

  @Post(':id/password')
  @HttpCode(204)
  @ApiOperation({ summary: "Set (reset) a user's password; their sessions end." })
  async setPassword(@CurrentPrincipal() by: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: SetPasswordDto): Promise<void> {
    const ended = await this.users.setPassword(by, id, body.password);
    this.events.emit('access.ended', { ...ended, wholeUser: false });
  }
}
