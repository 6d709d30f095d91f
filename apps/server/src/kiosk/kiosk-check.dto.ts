import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

/** The non-file fields of POST /api/kiosk/check (multipart). */
export class KioskCheckDto {
  @ApiPropertyOptional({ description: 'Nonce of the liveness challenge these frames answer' })
  @IsOptional()
  @IsString()
  @Length(16, 128, { message: 'nonce must be the value POST /api/kiosk/challenge returned' })
  nonce?: string;
}
