import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, Max, Min } from 'class-validator';
import { InvalidRequestError } from '../shared/errors/api-error';
import { OptionalNotNull } from '../shared/http/validators';

/** A moment in a resource's life: a time, or a version (the number of its events). */
export type PointInTime = { asOf: Date } | { version: number };

const VERSION_MESSAGE = 'version must be an integer of at least 1.';

/** SPEC §3/§4 `?as_of=` and `?version=` on a single-resource GET; reused by every resource. */
export class PointInTimeRequestDto {
  @ApiPropertyOptional({ description: 'ISO 8601 timestamp: the resource as it was at that moment' })
  @OptionalNotNull()
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'as_of must be an ISO 8601 timestamp.' })
  as_of?: string;

  @ApiPropertyOptional({ minimum: 1, description: 'The resource as it was at this version' })
  @OptionalNotNull()
  @Type(() => Number)
  @IsInt({ message: VERSION_MESSAGE })
  @Min(1, { message: VERSION_MESSAGE })
  @Max(2 ** 31 - 1, { message: 'version is larger than any resource has.' })
  version?: number;
}

/** The point asked for; null when neither is given (the current state). */
export function pointInTime(request: PointInTimeRequestDto): PointInTime | null {
  if (request.as_of !== undefined && request.version !== undefined) {
    throw new InvalidRequestError('Pass as_of or version, not both.', 'version');
  }
  if (request.as_of !== undefined) return { asOf: new Date(request.as_of) };
  if (request.version !== undefined) return { version: request.version };
  return null;
}
