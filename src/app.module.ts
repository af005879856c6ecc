import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { CUSTOMER_PROJECTIONS, CustomersModule } from './customers/customers.module';
import { HealthController } from './health/health.controller';
import { ApiKeyGuard } from './shared/auth/api-key.guard';
import { AppConfig } from './shared/config/app-config';
import { ApiExceptionFilter } from './shared/errors/api-exception.filter';
import { MetricsController } from './shared/metrics/metrics.controller';
import { ETagInterceptor } from './shared/http/etag.interceptor';
import { IdempotencyInterceptor } from './shared/idempotency/idempotency.interceptor';
import { InfrastructureModule } from './shared/infrastructure.module';
import { RENTAL_PROJECTIONS, RentalsModule } from './rentals/rentals.module';
import { EVENT_PROJECTIONS, EventsModule } from './events/events.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { PLAN_PROJECTIONS, PlansModule } from './plans/plans.module';
import { USAGE_PROJECTIONS, UsageModule } from './usage/usage.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        InfrastructureModule.forRoot(config, [...CUSTOMER_PROJECTIONS, ...RENTAL_PROJECTIONS, ...EVENT_PROJECTIONS, ...PLAN_PROJECTIONS, ...USAGE_PROJECTIONS]),
        TerminusModule,
        CustomersModule,
        RentalsModule,
        EventsModule,
        WebhooksModule,
        PlansModule,
        UsageModule,
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        // Order matters: ETag wraps idempotency, so a replayed response gets its ETag too.
        { provide: APP_INTERCEPTOR, useClass: ETagInterceptor },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
    };
  }
}
