import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { ScanListName } from '@vigil/contracts';

/** The multipart fields besides the file (multipart values are strings). */
export class CreateScanDto {
  @ApiPropertyOptional({ enum: ['watchlist', 'employee', 'all'], description: 'Whose matches are reported (default watchlist)' })
  @IsOptional()
  @IsIn(['watchlist', 'employee', 'all'], { message: 'list must be watchlist, employee or all' })
  list?: ScanListName;
}

export class ScanReportQuery {
  @ApiPropertyOptional({ enum: ['json', 'csv', 'html'], description: 'Download the report file in this format instead of the JSON view' })
  @IsOptional()
  @IsIn(['json', 'csv', 'html'], { message: 'format must be json, csv or html' })
  format?: 'json' | 'csv' | 'html';
}
