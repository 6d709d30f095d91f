import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@vigil/auth';
import type { RetentionSettingsView } from '@vigil/contracts';
import { CurrentPrincipal, Roles } from '../auth/roles.decorator';
import { UpdateRetentionSettingsDto } from './retention-settings.dto';
import { RetentionSettingsService } from './retention-settings.service';

@ApiTags('settings')
@Controller('settings/retention')
export class RetentionSettingsController {
  constructor(private readonly settings: RetentionSettingsService) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'How long each kind of evidence is kept (days), with the whole retention table' })
  get(): Promise<RetentionSettingsView> {
    return this.settings.current();
  }

  @Patch()
  @Roles('admin')
  @ApiOperation({ summary: 'Change evidence retention (days; null = default); out-of-bounds values → 400 and nothing changes. Audited.' })
  update(@CurrentPrincipal() by: Principal, @Body() body: UpdateRetentionSettingsDto): Promise<RetentionSettingsView> {
    return this.settings.update(by, { ...body });
  }
}
