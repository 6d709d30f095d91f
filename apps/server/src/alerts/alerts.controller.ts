import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { Principal } from '@vigil/auth';
import type { AlertEvent } from '@vigil/contracts';
import type { AlertAction } from '@vigil/persistence';
import { CurrentPrincipal, Roles } from '../auth/roles.decorator';
import { PaginationQuery } from '../platform/pagination.dto';
import { IsSeq, MAX_SEQ } from '../platform/seq';
import { toAlertEvent } from './alert.view';
import { AlertsService } from './alerts.service';

export class AlertsQuery extends PickType(PaginationQuery, ['limit'] as const) {
  @ApiPropertyOptional({ description: 'Only alerts with seq greater than this (the replay offset)', default: '0' })
  @IsOptional()
  @IsSeq({ message: `after must be a non-negative integer up to ${MAX_SEQ} (an alert seq)` })
  after: string = '0';
}

export class AlertBoardQuery {
  @ApiPropertyOptional({ description: 'How many of the newest alerts to include besides the open ones', default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'recent must be an integer from 1 to 500' })
  @Min(1, { message: 'recent must be an integer from 1 to 500' })
  @Max(500, { message: 'recent must be an integer from 1 to 500' })
  recent: number = 50;
}

@ApiTags('alerts')
@Controller('alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @Roles('admin', 'security')
  @ApiOperation({ summary: 'Alerts in seq order after an offset: the replay source for clients that missed pushes' })
  async list(@Query() query: AlertsQuery): Promise<AlertEvent[]> {
    return (await this.alerts.after(query.after, query.limit)).map(toAlertEvent);
  }

  @Get('board')
  @Roles('admin', 'security')
  @ApiOperation({
    summary: 'A console\'s first screen: every open alert (new or escalated, up to 500) and the newest `recent`, in seq order. ' +
      'Connect the socket without an offset first, then load this; after a reconnect use the highest seq held as the offset.',
  })
  async board(@Query() query: AlertBoardQuery): Promise<AlertEvent[]> {
    return (await this.alerts.board(query.recent)).map(toAlertEvent);
  }

  @Post(':id/ack')
  @Roles('admin', 'security')
  @HttpCode(200)
  ack(@CurrentPrincipal() by: Principal, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.act(by, id, 'acknowledge');
  }

  @Post(':id/resolve')
  @Roles('admin', 'security')
  @HttpCode(200)
  resolve(@CurrentPrincipal() by: Principal, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.act(by, id, 'resolve');
  }

  @Post(':id/escalate')
  @Roles('admin', 'security')
  @HttpCode(200)
  escalate(@CurrentPrincipal() by: Principal, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.act(by, id, 'escalate');
  }

  private async act(by: Principal, id: string, action: AlertAction): Promise<AlertEvent> {
    return toAlertEvent(await this.alerts.act(by, id, action));
  }
}
