import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsString, Length } from 'class-validator';
import { OptionalNotNull } from '../../shared/http/validators';
import { RentalFieldsDto } from '../rental-fields.dto';

/** POST /v1/rentals. Any status is accepted, so history kept elsewhere can be synced (SPEC §4). */
export class CreateRentalRequestDto extends RentalFieldsDto {
  @ApiProperty({ example: 'cu_…', description: 'An ACTIVE customer of this account and mode' })
  @IsDefined({ message: 'customer_id is required.' })
  @IsString()
  @Length(1, 255)
  customer_id!: string;

  @ApiProperty({ example: 'a4d2e1c0-9b4f-4c1e-8d1a-2f0c3b5e7a91', description: 'Your vehicle id' })
  @IsDefined({ message: 'vehicle_id is required.' })
  @IsString()
  @Length(1, 255)
  vehicle_id!: string;

  @ApiPropertyOptional({ example: 'BK-2026-0042', description: 'Your booking reference; unique per account and mode' })
  @OptionalNotNull()
  @IsString()
  @Length(1, 255)
  booking_id?: string;
}
