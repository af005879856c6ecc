import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, Min, registerDecorator } from 'class-validator';
import { OptionalNotNull } from './validators';

/** A page goes one way: both cursors at once is a 400 rather than a guess. */
function NotWithStartingAfter() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'notWithStartingAfter',
      target: target.constructor,
      propertyName,
      options: { message: 'Pass starting_after or ending_before, not both.' },
      validator: { validate: (_: unknown, args) => (args?.object as ListRequestDto).starting_after === undefined },
    });
}

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
  @NotWithStartingAfter()
  ending_before?: string;
}
