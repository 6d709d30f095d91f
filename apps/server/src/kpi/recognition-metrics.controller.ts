import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import type { RecognitionReportView } from '@vigil/contracts';
import { InvalidInputError, PERSON_LISTS, type PersonList } from '@vigil/domain';
import { Roles } from '../auth/roles.decorator';
import { RecognitionMetricsService } from './recognition-metrics.service';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class RecognitionMetricsQuery {
  @ApiPropertyOptional({ example: '2026-11-01', description: 'First local day (VIGIL_TIMEZONE), inclusive; default: all' })
  @IsOptional()
  @Matches(DAY, { message: 'from must be YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-30', description: 'Last local day, inclusive; default: all' })
  @IsOptional()
  @Matches(DAY, { message: 'to must be YYYY-MM-DD' })
  to?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'cameraId must be a camera id (uuid)' })
  cameraId?: string;

  @ApiPropertyOptional({ enum: PERSON_LISTS })
  @IsOptional()
  @IsIn(PERSON_LISTS, { message: 'list must be "watchlist" or "employee"' })
  list?: PersonList;
}

const isCalendarDay = (d: string) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);

@ApiTags('metrics')
@Controller('metrics/recognition')
export class RecognitionMetricsController {
  constructor(private readonly metrics: RecognitionMetricsService) {}

  @Get()
  @Roles('reviewer', 'admin')
  @ApiOperation({ summary: 'Confusion counts, precision, recall, accuracy, FAR, FRR and AUC from reviewed decisions: overall, by day, camera and list, with KPI breaches' })
  report(@Query() query: RecognitionMetricsQuery): Promise<RecognitionReportView> {
    for (const [name, day] of [['from', query.from], ['to', query.to]] as const) {
      if (day && !isCalendarDay(day)) throw new InvalidInputError(`${name} is not a calendar day: ${day}`);
    }
    if (query.from && query.to && query.from > query.to) throw new InvalidInputError('from must not be after to');
    return this.metrics.report(query);
  }
}
