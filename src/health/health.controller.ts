import { Controller, Get, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from '../shared/auth/auth-context';
import { EVENT_STORE, EventStore } from '../shared/event-store/event-store.port';
import { READ_DB, ReadDb } from '../shared/read-db/read-db.port';

/** /healthz: the process is up. /readyz: both stores answer, so traffic can be sent. */
@ApiExcludeController()
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB) private readonly db: ReadDb,
  ) {}

  @Get('healthz')
  liveness() {
    return { status: 'ok' };
  }

  @Get('readyz')
  @HealthCheck()
  readiness() {
    return this.health.check([
      () => this.probe('event_store', async () => void (await this.store.headPosition())),
      () => this.probe('read_db', async () => void (await this.db.get('SELECT 1 AS ok'))),
    ]);
  }

  private async probe(name: string, check: () => Promise<void>) {
    const indicator = this.indicator.check(name);
    try {
      await check();
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
