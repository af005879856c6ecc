import { AuthContext } from '../../shared/auth/auth-context';

export class RotateWebhookSecretCommand {
  constructor(
    readonly auth: AuthContext,
    readonly endpointId: string,
  ) {}
}
