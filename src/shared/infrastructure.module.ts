import { DynamicModule, Global, Inject, Module, OnApplicationShutdown, Type } from '@nestjs/common';
import { AccountsRepository } from './auth/accounts.repository';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { SubjectKeyStore } from './crypto/subject-key.store';
import { PersonalDataHolders } from './erasure/personal-data-holders';
import { ErasureFence } from './erasure/erasure-fence';
import { SubjectErasure } from './erasure/subject-erasure';
import { EventCodecs } from './event-store/event-codec';
import { EVENT_STORE, EventStore } from './event-store/event-store.port';
import { StreamCommandExecutor } from './event-store/stream-command.executor';
import { IdempotencyRecords } from './idempotency/idempotency.records';
import { Metrics } from './metrics/metrics';
import { openEventStore, openReadDb } from './persistence/stores.factory';
import { CheckpointStore } from './projections/checkpoint.store';
import { Projection } from './projections/projection';
import { PROJECTIONS, ProjectionRunner } from './projections/projection-runner';
import { READ_DB, ReadDb } from './read-db/read-db.port';

/** Closes the stores last, after the projection runner has stopped (SIGTERM drains). */
class StoreLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB) private readonly db: ReadDb,
    private readonly runner: ProjectionRunner,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
    await this.store.close();
    await this.db.close();
  }
}

/** The event store, the read-model database and everything every feature shares. */
@Global()
@Module({})
export class InfrastructureModule {
  static forRoot(config: AppConfig, projections: Type<Projection>[]): DynamicModule {
    const providers = [
      { provide: APP_CONFIG, useValue: config },
      { provide: EVENT_STORE, useFactory: () => openEventStore(config) },
      { provide: READ_DB, useFactory: () => openReadDb(config) },
      ...projections,
      { provide: PROJECTIONS, useFactory: (...all: Projection[]) => all, inject: projections },
      EventCodecs,
      CheckpointStore,
      ProjectionRunner,
      StreamCommandExecutor,
      SubjectKeyStore,
      ErasureFence,
      PersonalDataHolders,
      SubjectErasure,
      AccountsRepository,
      IdempotencyRecords,
      Metrics,
      StoreLifecycle,
    ];
    return {
      module: InfrastructureModule,
      providers,
      exports: providers.filter((p) => p !== StoreLifecycle),
    };
  }
}
