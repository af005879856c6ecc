import { AuthContext } from '../../shared/auth/auth-context';
import { CreatePlanRequestDto } from './create-plan.request.dto';

export class CreatePlanCommand {
  constructor(
    readonly auth: AuthContext,
    readonly body: CreatePlanRequestDto,
  ) {}
}
