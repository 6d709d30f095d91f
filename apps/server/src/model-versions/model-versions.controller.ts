import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { Principal } from '@vigil/auth';
import type { ModelVersionView, RefreshRunView } from '@vigil/contracts';
import { CurrentPrincipal, Roles } from '../auth/roles.decorator';
import { ModelVersionsService } from './model-versions.service';
import { RefreshService } from './refresh.service';

export class TrainHeadDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, description: 'Training epochs; default the lifecycle.head setting (20)' })
  @IsOptional()
  @IsInt({ message: 'epochs must be a whole number' })
  @Min(1, { message: 'epochs must be at least 1' })
  @Max(500, { message: 'epochs must be at most 500' })
  epochs?: number;
}

@ApiTags('model-versions')
@Controller('model-versions')
export class ModelVersionsController {
  constructor(private readonly versions: ModelVersionsService, private readonly refresher: RefreshService) {}

  @Get()
  @Roles('admin', 'reviewer')
  @ApiOperation({ summary: 'Model versions, newest first: thresholds, held-out metrics, decision and reason' })
  async list(): Promise<{ items: ModelVersionView[] }> {
    return { items: await this.versions.list() };
  }

  @Post('refresh')
  @Roles('admin')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Start a refresh in the background: build a candidate from reviewed faces, promote it only if it beats the active version on held-out faces',
  })
  async refresh(@CurrentPrincipal() by: Principal): Promise<{ run: RefreshRunView }> {
    return { run: await this.refresher.start(by) };
  }

  @Post('head')
  @Roles('admin')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Start a learned-head run in the background (docs/learned-head.md): train a head on the references and reviewed faces of some people, promote the candidate only if it beats the active version on the others; 422 when there is too little data. Its progress and result show on GET /refresh.',
  })
  async head(@CurrentPrincipal() by: Principal, @Body() body: TrainHeadDto): Promise<{ run: RefreshRunView }> {
    return { run: await this.refresher.startHead(by, body?.epochs) };
  }

  @Get('refresh')
  @Roles('admin', 'reviewer')
  @ApiOperation({ summary: 'The latest refresh run of any api process: running (with its phase), finished (with its result), failed or interrupted (with why)' })
  async refreshStatus(): Promise<{ run: RefreshRunView | null }> {
    return { run: await this.refresher.latestRun() };
  }

  @Post(':id/rollback')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Make an earlier version active again: its exact references and thresholds' })
  async rollback(@CurrentPrincipal() by: Principal, @Param('id', new ParseIntPipe()) id: number): Promise<{ active: ModelVersionView }> {
    return { active: await this.versions.rollback(by, id) };
  }
}
