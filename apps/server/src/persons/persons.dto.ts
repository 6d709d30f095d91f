import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsDate, IsIn, IsOptional, IsString, Length, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import { PERSON_LISTS, PersonList } from '@vigil/domain';
import { PaginationQuery } from '../platform/pagination.dto';
import { trim } from '../platform/dto-transforms';

export class ConsentDto {
  @ApiProperty({ example: 'signed-form', description: 'How consent was given (signed form, e-signature, …)' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  method!: string;

  @ApiPropertyOptional({ example: 'HR-2026-0142', description: 'Where the proof is kept' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  reference?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Defaults to now' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'givenAt must be an ISO 8601 date-time' })
  givenAt?: Date;
}

export class CreatePersonDto {
  @ApiProperty({ example: 'Ana Silva' })
  @Transform(trim)
  @IsString()
  @Length(1, 200, { message: 'name must be 1 to 200 characters' })
  name!: string;

  @ApiProperty({ enum: PERSON_LISTS })
  @IsIn(PERSON_LISTS, { message: 'list must be "watchlist" or "employee"' })
  list!: PersonList;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;

  @ApiPropertyOptional({ type: ConsentDto, description: 'Employees only: the consent record that allows enrolling their face' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ConsentDto)
  consent?: ConsentDto;
}

export class UpdatePersonDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 200, { message: 'name must be 1 to 200 characters' })
  name?: string;

  @ApiPropertyOptional({ enum: PERSON_LISTS })
  @IsOptional()
  @IsIn(PERSON_LISTS, { message: 'list must be "watchlist" or "employee"' })
  list?: PersonList;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(2000)
  notes?: string | null;

  @ApiPropertyOptional({ type: ConsentDto, nullable: true, description: 'null clears the consent record' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @ValidateNested()
  @Type(() => ConsentDto)
  consent?: ConsentDto | null;
}

export class ListPersonsQuery extends PaginationQuery {
  @ApiPropertyOptional({ enum: PERSON_LISTS })
  @IsOptional()
  @IsIn(PERSON_LISTS, { message: 'list must be "watchlist" or "employee"' })
  list?: PersonList;

  @ApiPropertyOptional({ description: 'Case-insensitive part of the name' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

export class ErasePersonDto {
  @ApiPropertyOptional({ description: 'Why (e.g. "GDPR Art. 17 request #123"); kept on the tombstone, so no personal data.' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  reason?: string;
}
