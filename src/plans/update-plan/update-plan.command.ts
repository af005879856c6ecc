import { AuthContext } from '../../shared/auth/auth-context';
import { UpdatePlanRequestDto } from './update-plan.request.dto';

export class UpdatePlanCommand {
  constructor(
    readonly auth: AuthContext,
    readonly planId: string,
    readonly body: UpdatePlanRequestDto,
    /** If-Match, when sent. */
    readonly expectedVersion?: number,
  ) {}
}
