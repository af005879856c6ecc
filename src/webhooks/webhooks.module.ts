import { Inject, Module, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { PersonalDataHolders } from '../shared/erasure/personal-data-holders';
import { PROJECTION_RUNNER_IDLE } from '../shared/projections/projection-runner';
import { READ_DB, ReadDb } from '../shared/read-db/read-db.port';
import { CreateWebhookEndpointController } from './create-webhook-endpoint/create-webhook-endpoint.controller';
import { CreateWebhookEndpointHandler } from './create-webhook-endpoint/create-webhook-endpoint.handler';
import { DeleteWebhookEndpointController } from './delete-webhook-endpoint/delete-webhook-endpoint.controller';
import { DeleteWebhookEndpointHandler } from './delete-webhook-endpoint/delete-webhook-endpoint.handler';
import { DeliveryAttempts } from './delivery/delivery-attempts';
import { DeliveryMessages } from './delivery/delivery-messages';
import { deliveryPersonalData } from './delivery/delivery-personal-data';
import { WebhookDispatcher } from './delivery/webhook-dispatcher';
import { WebhookFanout } from './delivery/webhook-fanout';
import { WebhookOutbox } from './delivery/webhook-outbox';
import { GetWebhookEndpointController } from './get-webhook-endpoint/get-webhook-endpoint.controller';
import { GetWebhookEndpointHandler } from './get-webhook-endpoint/get-webhook-endpoint.query';
import { ListWebhookDeliveriesController } from './list-webhook-deliveries/list-webhook-deliveries.controller';
import { ListWebhookDeliveriesHandler } from './list-webhook-deliveries/list-webhook-deliveries.query';
import { ListWebhookEndpointsController } from './list-webhook-endpoints/list-webhook-endpoints.controller';
import { ListWebhookEndpointsHandler } from './list-webhook-endpoints/list-webhook-endpoints.query';
import { PublicEventLog } from './public-event-log';
import { ReplayWebhookEventsController } from './replay-webhook-events/replay-webhook-events.controller';
import { ReplayWebhookEventsHandler } from './replay-webhook-events/replay-webhook-events.handler';
import { RetryWebhookDeliveryController } from './retry-webhook-delivery/retry-webhook-delivery.controller';
import { RetryWebhookDeliveryHandler } from './retry-webhook-delivery/retry-webhook-delivery.handler';
import { RotateWebhookSecretController } from './rotate-webhook-secret/rotate-webhook-secret.controller';
import { RotateWebhookSecretHandler } from './rotate-webhook-secret/rotate-webhook-secret.handler';
import { UpdateWebhookEndpointController } from './update-webhook-endpoint/update-webhook-endpoint.controller';
import { UpdateWebhookEndpointHandler } from './update-webhook-endpoint/update-webhook-endpoint.handler';
import { WebhookDeliveries } from './webhook-deliveries';
import { WebhookEndpoints } from './webhook-endpoints';
import { WEBHOOKS_SCHEMA } from './webhooks.schema';

/**
 * SPEC §9. Endpoints and the outbox live in the read database; the fan-out subscribes to
 * the events read model and the dispatcher sends. Both stop in onModuleDestroy, which Nest
 * runs before any onApplicationShutdown, so in-flight sends are recorded while the
 * database is still open.
 */
@Module({
  imports: [CqrsModule],
  controllers: [
    CreateWebhookEndpointController,
    ListWebhookEndpointsController,
    GetWebhookEndpointController,
    UpdateWebhookEndpointController,
    DeleteWebhookEndpointController,
    RotateWebhookSecretController,
    ListWebhookDeliveriesController,
    ReplayWebhookEventsController,
    RetryWebhookDeliveryController,
  ],
  providers: [
    WebhookEndpoints,
    WebhookDeliveries,
    PublicEventLog,
    WebhookOutbox,
    DeliveryAttempts,
    DeliveryMessages,
    WebhookDispatcher,
    WebhookFanout,
    CreateWebhookEndpointHandler,
    GetWebhookEndpointHandler,
    ListWebhookEndpointsHandler,
    UpdateWebhookEndpointHandler,
    DeleteWebhookEndpointHandler,
    RotateWebhookSecretHandler,
    ListWebhookDeliveriesHandler,
    RetryWebhookDeliveryHandler,
    ReplayWebhookEventsHandler,
  ],
})
export class WebhooksModule implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    @Inject(READ_DB) private readonly db: ReadDb,
    private readonly fanout: WebhookFanout,
    private readonly dispatcher: WebhookDispatcher,
    private readonly personalData: PersonalDataHolders,
    // A process that loads the app only to operate on it (CLI) must not send webhooks.
    @Optional() @Inject(PROJECTION_RUNNER_IDLE) private readonly idle: boolean = false,
  ) {}

  async onModuleInit(): Promise<void> {
    this.personalData.register(deliveryPersonalData);
    await this.db.exec(WEBHOOKS_SCHEMA);
  }

  onApplicationBootstrap(): void {
    if (this.idle) return;
    this.dispatcher.start();
    this.fanout.start(() => this.dispatcher.wake());
  }

  async onModuleDestroy(): Promise<void> {
    await this.fanout.stop();
    await this.dispatcher.stop();
  }
}
