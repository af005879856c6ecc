import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsString, Length, Matches, MaxLength } from 'class-validator';
import { BCP47, E164, IsMetadata, OptionalNotNull, OptionalNullable } from '../shared/http/validators';

/** Fields a client may send both on create (POST) and on change (PATCH, upsert). */
export class CustomerFieldsDto {
  @ApiPropertyOptional({ example: 'Jane Doe', maxLength: 200 })
  @OptionalNotNull()
  @IsString()
  @Length(1, 200)
  full_name?: string;

  @ApiPropertyOptional({ example: 'jane@example.com', nullable: true })
  @OptionalNullable()
  @IsEmail({}, { message: 'email must be a valid email address.' })
  @MaxLength(254)
  email?: string | null;

  @ApiPropertyOptional({ example: '+14155550123', nullable: true, description: 'E.164' })
  @OptionalNullable()
  @IsString()
  @Matches(E164, { message: 'phone must be in E.164 format, like +14155550123.' })
  phone?: string | null;

  @ApiPropertyOptional({ example: 'en', description: 'BCP 47 language tag' })
  @OptionalNotNull()
  @IsString()
  @Matches(BCP47, { message: 'preferred_language must be a BCP 47 tag such as en or pt-BR.' })
  preferred_language?: string;

  @ApiPropertyOptional({ example: 'website', nullable: true })
  @OptionalNullable()
  @IsString()
  @Length(1, 100)
  source_channel?: string | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, nullable: true })
  @OptionalNullable()
  @IsMetadata(true)
  metadata?: Record<string, string | null> | null;

  @ApiPropertyOptional({ example: 'pln_…', nullable: true, description: "A plan of this account and mode; null detaches the customer's plan" })
  @OptionalNullable()
  @IsString()
  @Length(1, 255)
  plan_id?: string | null;
}

export const STATUS_VALUES = ['ACTIVE', 'PAUSED', 'CANCELLED'] as const;
