import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsNumber, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { trim } from '../platform/dto-transforms';

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
}

export class UpdateCameraDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 100, { message: 'name must be 1 to 100 characters' })
  name?: string;

  @ApiPropertyOptional({ description: 'Sending back the redacted URL from GET leaves the stored one unchanged' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({ minimum: 0.1, maximum: 30 })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.1)
  @Max(30)
  fps?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}
