import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InvalidRequestError } from '../../shared/errors/api-error';
import { WebhookDispatcher } from '../delivery/webhook-dispatcher';
import { PublicEventLog } from '../public-event-log';
import { WebhookDeliveries } from '../webhook-deliveries';
import { subscribesTo } from '../webhook-endpoint.resource';
import { WebhookEndpoints } from '../webhook-endpoints';
import { ReplayWebhookEventsCommand, WebhookReplay } from './replay-webhook-events.command';

/** One replay queues at most this many deliveries; a longer history is replayed in slices. */
const MAX_REPLAY = 10_000;

/**
 * SPEC §9 replay: the log's events in the range that the endpoint subscribes to are queued
 * as new deliveries carrying the original event ids (so `webhook-id` lets receivers
 * de-duplicate), whether or not they were sent before, even from before the endpoint existed.
 */
@CommandHandler(ReplayWebhookEventsCommand)
export class ReplayWebhookEventsHandler implements ICommandHandler<ReplayWebhookEventsCommand, WebhookReplay> {
  constructor(
    private readonly endpoints: WebhookEndpoints,
    private readonly events: PublicEventLog,
    private readonly deliveries: WebhookDeliveries,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  async execute({ auth, endpointId, body }: ReplayWebhookEventsCommand): Promise<WebhookReplay> {
    const endpoint = await this.endpoints.get(auth, endpointId);
    const now = Date.now();
    const since = Date.parse(body.since);
    const until = body.until === undefined ? now : Date.parse(body.until);
    if (!(since < until)) throw new InvalidRequestError('until must be later than since.', 'until');
    const enabled = JSON.parse(endpoint.enabled_events) as string[];
    const events = (await this.events.createdBetween(auth.accountId, auth.livemode, new Date(since), new Date(until))).filter((e) =>
      subscribesTo(enabled, e.type),
    );
    if (events.length > MAX_REPLAY) {
      throw new InvalidRequestError(`The range holds ${events.length} events; replay at most ${MAX_REPLAY} at once.`, 'since');
    }
    const queued = await this.deliveries.queueReplay(endpoint.id, events, now);
    this.dispatcher.wake();
    const iso = (ms: number) => new Date(ms).toISOString();
    return { object: 'webhook_replay', endpoint_id: endpoint.id, since: iso(since), until: iso(until), queued };
  }
}
