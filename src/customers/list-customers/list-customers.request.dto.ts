import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsString } from 'class-validator';
import { ListRequestDto } from '../../shared/http/list-request.dto';
import { OptionalNotNull } from '../../shared/http/validators';
import { STATUS_VALUES } from '../customer-fields.dto';

export class ListCustomersRequestDto extends ListRequestDto {
  @ApiPropertyOptional({ description: 'Exact match' })
  @OptionalNotNull()
  @IsString()
  email?: string;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  external_id?: string;

  @ApiPropertyOptional({ enum: STATUS_VALUES })
  @OptionalNotNull()
  @IsIn(STATUS_VALUES as unknown as string[], { message: 'status must be one of ACTIVE, PAUSED, CANCELLED.' })
  status?: string;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'archived must be true or false.' })
  archived?: boolean;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  plan_id?: string;
}
