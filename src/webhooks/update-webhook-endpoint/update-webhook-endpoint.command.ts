import { AuthContext } from '../../shared/auth/auth-context';
import { UpdateWebhookEndpointRequestDto } from './update-webhook-endpoint.request.dto';

export class UpdateWebhookEndpointCommand {
  constructor(
    readonly auth: AuthContext,
    readonly endpointId: string,
    readonly body: UpdateWebhookEndpointRequestDto,
  ) {}
}
