import { AuthContext } from '../../shared/auth/auth-context';
import { CreateWebhookEndpointRequestDto } from './create-webhook-endpoint.request.dto';

export class CreateWebhookEndpointCommand {
  constructor(
    readonly auth: AuthContext,
    readonly body: CreateWebhookEndpointRequestDto,
  ) {}
}
