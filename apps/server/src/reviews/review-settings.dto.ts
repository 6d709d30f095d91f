import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNumber, IsOptional, ValidateIf } from 'class-validator';
import { REVIEW_SETTINGS } from '@vigil/domain';

const doc = (name: keyof typeof REVIEW_SETTINGS, description: string) => {
  const s = REVIEW_SETTINGS[name];
  return ApiPropertyOptional({ description: `${description} (setting key ${s.key})`, minimum: s.min, maximum: s.max, default: s.default, nullable: s.nullable, type: s.integer ? 'integer' : 'number' });
};

/** Bounds are checked by the domain (validateReviewSettingsPatch), the one place they are defined. */
export class UpdateReviewSettingsDto {
  @doc('attendanceSampleRate', 'Share of camera attendance bookings sampled into the queue')
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  attendanceSampleRate?: number;

  @doc('attendanceDailyCap', 'Most sampled attendance items per camera and local day')
  @IsOptional()
  @IsInt()
  attendanceDailyCap?: number;

  @doc('unknownSampleRate', 'Share of unknown tracks kept for review')
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  unknownSampleRate?: number;

  @doc('unknownDailyCap', 'Most kept unknowns per camera and local day')
  @IsOptional()
  @IsInt()
  unknownDailyCap?: number;

  @doc('unknownRetentionDays', 'Days an unknown crop and its item are kept')
  @IsOptional()
  @IsInt()
  unknownRetentionDays?: number;

  @doc('unseenSampleRate', 'Share of unknown tracks kept as the unseen training sample')
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  unseenSampleRate?: number;

  @doc('unseenDailyCap', 'Most unseen samples per camera and local day')
  @IsOptional()
  @IsInt()
  unseenDailyCap?: number;

  @doc('unseenRetentionDays', 'Days an unseen sample is kept')
  @IsOptional()
  @IsInt()
  unseenRetentionDays?: number;

  @doc('samplingSeed', 'Seed of the sampler (same seed, same sample)')
  @IsOptional()
  @IsInt()
  samplingSeed?: number;

  @doc('kpiMinAccuracy', 'KPI: accuracy at least')
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  kpiMinAccuracy?: number;

  @doc('kpiMaxFar', 'KPI: false accept rate at most')
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  kpiMaxFar?: number;

  @doc('kpiMinPrecision', 'KPI: precision at least (null = no target)')
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  kpiMinPrecision?: number | null;

  @doc('kpiMinRecall', 'KPI: recall at least (null = no target)')
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  kpiMinRecall?: number | null;

  @doc('kpiMinReviewed', 'Scopes with fewer reviewed items are not judged')
  @IsOptional()
  @IsInt()
  kpiMinReviewed?: number;

  @doc('kpiWindowDays', 'The KPI monitor judges the last N local days')
  @IsOptional()
  @IsInt()
  kpiWindowDays?: number;
}
