import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsInt, Max, Min } from 'class-validator';

const MESSAGE = 'quantity must be an integer of at least 1.';

/** POST /v1/customers/{id}/usage. */
export class RecordUsageRequestDto {
  @ApiProperty({ example: 1, minimum: 1, description: 'Units used' })
  @IsDefined({ message: 'quantity is required.' })
  @IsInt({ message: MESSAGE })
  @Min(1, { message: MESSAGE })
  // A sanity bound, far above any real quota, so sums stay exact integers.
  @Max(1_000_000_000, { message: 'quantity may be at most 1000000000.' })
  quantity!: number;
}
