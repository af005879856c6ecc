import { AuthContext } from '../../shared/auth/auth-context';
import { ReplayWebhookEventsRequestDto } from './replay-webhook-events.request.dto';

export class ReplayWebhookEventsCommand {
  constructor(
    readonly auth: AuthContext,
    readonly endpointId: string,
    readonly body: ReplayWebhookEventsRequestDto,
  ) {}
}

export interface WebhookReplay {
  object: 'webhook_replay';
  endpoint_id: string;
  since: string;
  until: string;
  /** How many deliveries were queued: the endpoint's subscribed events in the range. */
  queued: number;
}
