import { AuthContext } from '../../shared/auth/auth-context';

export class RecordUsageCommand {
  constructor(
    readonly auth: AuthContext,
    readonly customerId: string,
    readonly quantity: number,
  ) {}
}
