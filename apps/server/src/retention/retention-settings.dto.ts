import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, ValidateIf } from 'class-validator';
import { EVIDENCE_RETENTION, type EvidenceRetention } from '@vigil/domain';

const doc = (name: keyof EvidenceRetention, description: string) => {
  const s = EVIDENCE_RETENTION[name];
  return ApiPropertyOptional({ description: `${description}; null = back to the default (setting key ${s.key})`, minimum: s.min, maximum: s.max, nullable: true, type: 'integer' });
};

/** Bounds are checked by the domain (validateEvidenceRetentionPatch), the one place they are defined. */
export class UpdateRetentionSettingsDto {
  @doc('framesDays', 'Days frames stored with alerts are kept')
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsInt({ message: 'framesDays must be a whole number of days, or null for the default' })
  framesDays?: number | null;

  @doc('cropsDays', 'Days face crops of alerts and attendance bookings are kept')
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsInt({ message: 'cropsDays must be a whole number of days, or null for the default' })
  cropsDays?: number | null;

  @doc('attendanceDays', 'Days attendance bookings are kept')
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsInt({ message: 'attendanceDays must be a whole number of days, or null for the default' })
  attendanceDays?: number | null;
}
