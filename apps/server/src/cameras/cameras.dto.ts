import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsNumber, IsOptional, IsString, Length, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { trim } from '../platform/dto-transforms';

export class CameraSettingsDto {
  @ApiPropertyOptional({ minimum: 0, maximum: 1, default: 0.5, description: 'Motion gate: 0 = only large changes are analysed, 1 = every frame' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  motionSensitivity?: number;

  @ApiPropertyOptional({ minimum: 3, maximum: 120, default: 10, description: 'No frame for this long → stalled, ffmpeg restarted' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(3)
  @Max(120)
  stallSeconds?: number;

  @ApiPropertyOptional({ minimum: 5, maximum: 3600, default: 30, description: 'Same picture for this long → frozen' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(5)
  @Max(3600)
  frozenSeconds?: number;

  @ApiPropertyOptional({ minimum: 0.2, maximum: 60, default: 2, description: 'Analyse a frame at least this often without motion' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.2)
  @Max(60)
  analyseEverySeconds?: number;
}

export class CreateCameraDto {
  @ApiProperty({ example: 'Lobby entrance' })
  @Transform(trim)
  @IsString()
  @Length(1, 100, { message: 'name must be 1 to 100 characters' })
  name!: string;

  @ApiProperty({ example: 'rtsp://user:pass@10.0.0.5:554/stream1', description: 'rtsp, rtsps, http or https; credentials are never shown again' })
  @IsString()
  @MaxLength(2048)
  url!: string;

  @ApiPropertyOptional({ minimum: 0.1, maximum: 30, default: 5, description: 'Frames per second to analyse' })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.1)
  @Max(30)
  fps?: number;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ type: CameraSettingsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CameraSettingsDto)
  settings?: CameraSettingsDto;
}

/** Every field optional. Sending back the redacted URL from GET leaves the stored one unchanged. */
export class UpdateCameraDto extends PartialType(CreateCameraDto) {}
