import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, Min } from 'class-validator';
import { OptionalNotNull } from './validators';

/** SPEC §2 pagination parameters, shared by every list endpoint. */
export class ListRequestDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @OptionalNotNull()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer between 1 and 100.' })
  @Min(1, { message: 'limit must be an integer between 1 and 100.' })
  @Max(100, { message: 'limit must be an integer between 1 and 100.' })
  limit?: number;

  @ApiPropertyOptional({ description: 'An id: return the items after it (older)' })
  @OptionalNotNull()
  @IsString()
  starting_after?: string;

  @ApiPropertyOptional({ description: 'An id: return the items before it (newer)' })
  @OptionalNotNull()
  @IsString()
  ending_before?: string;
}
