import { Global, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { GetEventController } from './get-event/get-event.controller';
import { GetEventHandler } from './get-event/get-event.query';
import { ListEventsController } from './list-events/list-events.controller';
import { ListEventsHandler } from './list-events/list-events.query';
import { PublicEventMappers } from './public-event-mapper';
import { EventLogProjection } from './read-models/event-log.projection';
import { EventQueries } from './read-models/event.queries';
import { ResourceTimeline } from './resource-timeline';

/** Registered with the projection runner (InfrastructureModule.forRoot) like any read model. */
export const EVENT_PROJECTIONS = [EventLogProjection];

/**
 * The public face of the log: GET /v1/events, and for every resource module the mapper
 * registry and the timeline its history and `as_of` reads use. Global, because the event
 * log projection is instantiated by the infrastructure module and needs the registry.
 */
@Global()
@Module({
  imports: [CqrsModule],
  controllers: [ListEventsController, GetEventController],
  providers: [PublicEventMappers, ResourceTimeline, EventQueries, ListEventsHandler, GetEventHandler],
  exports: [PublicEventMappers, ResourceTimeline],
})
export class EventsModule {}
