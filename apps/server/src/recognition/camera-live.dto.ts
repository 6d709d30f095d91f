import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class EnrolFromAttemptDto {
  @ApiProperty({ description: 'The person to enrol the face for' })
  @IsUUID('all', { message: 'personId must be the id (UUID) of a person' })
  personId!: string;
}
