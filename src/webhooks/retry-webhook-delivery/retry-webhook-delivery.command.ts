import { AuthContext } from '../../shared/auth/auth-context';

export class RetryWebhookDeliveryCommand {
  constructor(
    readonly auth: AuthContext,
    readonly deliveryId: string,
  ) {}
}
