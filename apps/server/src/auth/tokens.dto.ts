import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsDate, IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { LIVENESS_MODES, LivenessMode, MINTABLE_ROLES, Role } from '@vigil/domain';
import { trim } from '../platform/dto-transforms';

export class MintTokenDto {
  @ApiProperty({ example: 'Lobby kiosk 1', description: 'A name that says where the token is used' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ enum: MINTABLE_ROLES })
  @IsIn(MINTABLE_ROLES, { message: `role must be one of: ${MINTABLE_ROLES.join(', ')}` })
  role!: Role;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'When the token stops working' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'expiresAt must be an ISO 8601 date-time' })
  expiresAt?: Date;

  @ApiPropertyOptional({ format: 'uuid', description: 'The user who holds the token (default: you)' })
  @IsOptional()
  @IsUUID('all', { message: 'ownerUserId must be a user id' })
  ownerUserId?: string;

  @ApiPropertyOptional({ enum: LIVENESS_MODES, description: "Kiosk tokens: 'required' (default for new kiosk tokens) — a check must pass the head-turn challenge; 'off' — one frame books" })
  @IsOptional()
  @IsIn(LIVENESS_MODES, { message: `liveness must be one of: ${LIVENESS_MODES.join(', ')}` })
  liveness?: LivenessMode;
}

export class PatchTokenDto {
  @ApiProperty({ enum: LIVENESS_MODES })
  @IsIn(LIVENESS_MODES, { message: `liveness must be one of: ${LIVENESS_MODES.join(', ')}` })
  liveness!: LivenessMode;
}

export class ListTokensQuery {
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  includeRevoked: boolean = false;
}
