import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { USER_ROLES } from '@vigil/auth';
import { trim } from '../platform/dto-transforms';

const PASSWORD = { description: 'At least 12 characters, not a common password' };

export class SignInDto {
  @ApiProperty({ example: 'jsmith' })
  @IsString({ message: 'username is required' })
  @MaxLength(100)
  username!: string;

  @ApiProperty()
  @IsString({ message: 'password is required' })
  @MaxLength(1024)
  password!: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString({ message: 'currentPassword is required' })
  @MaxLength(1024)
  currentPassword!: string;

  @ApiProperty(PASSWORD)
  @IsString({ message: 'newPassword is required' })
  @MaxLength(1024)
  newPassword!: string;
}

export class SetPasswordDto {
  @ApiProperty(PASSWORD)
  @IsString({ message: 'password is required' })
  @MaxLength(1024)
  password!: string;
}

export class CreateUserDto {
  @ApiProperty({ example: 'jsmith', description: '2-64 of a-z 0-9 . _ - (case-insensitive)' })
  @Transform(trim)
  @IsString()
  @Length(2, 64)
  username!: string;

  @ApiProperty({ example: 'Jo Smith' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  displayName!: string;

  @ApiProperty({ enum: USER_ROLES })
  @IsIn(USER_ROLES, { message: `role must be one of: ${USER_ROLES.join(', ')}` })
  role!: string;

  @ApiPropertyOptional({ ...PASSWORD, description: `${PASSWORD.description}; without one the account cannot sign in until an admin sets it` })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  password?: string;
}

export class PatchUserDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  displayName?: string;

  @ApiPropertyOptional({ enum: USER_ROLES })
  @IsOptional()
  @IsIn(USER_ROLES, { message: `role must be one of: ${USER_ROLES.join(', ')}` })
  role?: string;

  @ApiPropertyOptional({ description: 'true: the account stops working at once (sessions, tokens, sockets)' })
  @IsOptional()
  @IsBoolean({ message: 'disabled must be true or false' })
  disabled?: boolean;
}

export class SetupDto {
  @ApiProperty({ description: 'The one-time code from the link the server printed at start' })
  @IsString({ message: 'code is required' })
  @MaxLength(100)
  code!: string;

  @ApiProperty({ example: 'admin' })
  @Transform(trim)
  @IsString()
  @Length(2, 64)
  username!: string;

  @ApiProperty({ example: 'Site administrator' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  displayName!: string;

  @ApiProperty(PASSWORD)
  @IsString({ message: 'password is required' })
  @MaxLength(1024)
  password!: string;
}
