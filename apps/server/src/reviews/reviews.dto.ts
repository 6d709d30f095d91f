import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { REVIEW_KINDS, REVIEW_LABELS, REVIEW_STATUSES, type ReviewKind, type ReviewLabel, type ReviewStatus } from '@vigil/domain';
import { PaginationQuery } from '../platform/pagination.dto';
import { trim } from '../platform/dto-transforms';

const QUEUE_STATUSES = [...REVIEW_STATUSES, 'all'] as const;

export class ReviewQueueQuery extends PaginationQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  override limit: number = 50;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'cameraId must be a camera id (uuid)' })
  cameraId?: string;

  @ApiPropertyOptional({ enum: REVIEW_KINDS })
  @IsOptional()
  @IsIn(REVIEW_KINDS, { message: `kind must be one of ${REVIEW_KINDS.join(', ')}` })
  kind?: ReviewKind;

  @ApiPropertyOptional({ enum: QUEUE_STATUSES, default: 'open', description: 'all = every status, open items first' })
  @IsOptional()
  @IsIn(QUEUE_STATUSES, { message: `status must be one of ${QUEUE_STATUSES.join(', ')}` })
  status: ReviewStatus | 'all' = 'open';
}

export class CreateReviewLabelDto {
  @ApiProperty({ format: 'uuid', description: 'The review item (from GET /api/reviews/queue)' })
  @IsUUID('all', { message: 'itemId must be a review item id (uuid)' })
  itemId!: string;

  @ApiProperty({ enum: REVIEW_LABELS, description: 'alert/attendance: TP (right person) or FP; unknown/sample: TN (nobody enrolled) or FN (an enrolled person)' })
  @IsIn(REVIEW_LABELS, { message: 'label must be TP, FP, FN or TN' })
  label!: ReviewLabel;

  @ApiPropertyOptional({ format: 'uuid', description: '"This is not X, it is Y": the enrolled person it really is' })
  @IsOptional()
  @IsUUID('all', { message: 'actualPersonId must be a person id (uuid)' })
  actualPersonId?: string;

  @ApiPropertyOptional({ description: '"Not anyone enrolled"' })
  @IsOptional()
  @IsBoolean({ message: 'notEnrolled must be true or false' })
  notEnrolled?: boolean;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  notes?: string;
}
