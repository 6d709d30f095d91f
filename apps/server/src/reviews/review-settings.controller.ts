import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@vigil/auth';
import type { ReviewSettingsView } from '@vigil/contracts';
import { CurrentPrincipal, Roles } from '../auth/roles.decorator';
import { UpdateReviewSettingsDto } from './review-settings.dto';
import { ReviewSettingsService } from './review-settings.service';

@ApiTags('settings')
@Controller('settings/review')
export class ReviewSettingsController {
  constructor(private readonly settings: ReviewSettingsService) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Review sampling rates, retention and KPI targets (defaults where never set)' })
  get(): Promise<ReviewSettingsView> {
    return this.settings.current();
  }

  @Patch()
  @Roles('admin')
  @ApiOperation({ summary: 'Change some review settings; out-of-bounds values → 400 and nothing changes. Audited.' })
  update(@CurrentPrincipal() by: Principal, @Body() body: UpdateReviewSettingsDto): Promise<ReviewSettingsView> {
    return this.settings.update(by, { ...body });
  }
}
