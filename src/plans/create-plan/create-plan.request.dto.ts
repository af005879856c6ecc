import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsString, Length } from 'class-validator';
import { PlanFieldsDto } from '../plan-fields.dto';

/** POST /v1/plans. `monthly_quota` left out is null: unlimited. */
export class CreatePlanRequestDto extends PlanFieldsDto {
  @ApiProperty({ example: 'Pro', maxLength: 200 })
  @IsDefined({ message: 'name is required.' })
  @IsString()
  @Length(1, 200)
  name!: string;
}
