import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

/** The multipart fields besides the image (multipart values are strings). */
export class EnrolFaceDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Also store augmented variants of the photo (default false)' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'augment must be "true" or "false"' })
  augment?: 'true' | 'false';
}
