import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import type { Response } from 'express';
import { Roles } from '../auth/roles.decorator';
import { toAttendanceEvent } from './attendance.view';
import { AttendanceService } from './attendance.service';

export class AttendanceQuery {
  @ApiPropertyOptional({ example: '2026-11-27', description: 'Local day (VIGIL_TIMEZONE); default today' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be YYYY-MM-DD' })
  date?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'], { message: 'format must be json or csv' })
  format: 'json' | 'csv' = 'json';
}

@ApiTags('attendance')
@Controller('attendance')
export class AttendanceController {
  constructor(private readonly attendance: AttendanceService) {}

  @Get()
  @Roles('admin', 'security')
  @ApiOperation({ summary: 'Attendance events of a day and a per-person report (first in, last out); CSV with format=csv' })
  async list(@Query() query: AttendanceQuery, @Res({ passthrough: true }) res: Response) {
    const date = query.date ?? this.attendance.today();
    if (Number.isNaN(Date.parse(`${date}T00:00:00Z`))) return res.status(400).json({ statusCode: 400, error: 'Bad Request', message: 'date is not a calendar day' });
    const rows = await this.attendance.ofDate(date);
    const report = new Map<string, { personId: string; personName: string; firstIn: string | null; lastOut: string | null; events: number }>();
    for (const r of rows) {
      const entry = report.get(r.personId) ?? { personId: r.personId, personName: r.personName, firstIn: null, lastOut: null, events: 0 };
      const at = new Date(r.at).toISOString();
      if (r.kind === 'in' && !entry.firstIn) entry.firstIn = at;
      if (r.kind === 'out') entry.lastOut = at;
      entry.events++;
      report.set(r.personId, entry);
    }
    if (query.format === 'csv') {
      res.type('text/csv').setHeader('Content-Disposition', `attachment; filename="attendance-${date}.csv"`);
      const lines = ['person_id,person_name,first_in,last_out,events', ...[...report.values()].map((e) => [e.personId, csv(e.personName), e.firstIn ?? '', e.lastOut ?? '', e.events].join(','))];
      return `${lines.join('\n')}\n`;
    }
    return { date, events: rows.map(toAttendanceEvent), report: [...report.values()] };
  }
}

/** Quotes a CSV field and defuses spreadsheet formulas. */
function csv(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}
