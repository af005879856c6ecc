import { AuthContext } from '../../shared/auth/auth-context';

export class DeleteWebhookEndpointCommand {
  constructor(
    readonly auth: AuthContext,
    readonly endpointId: string,
  ) {}
}

export interface DeletedWebhookEndpoint {
  id: string;
  object: 'webhook_endpoint';
  deleted: true;
}
