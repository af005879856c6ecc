import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { AppConfig } from './shared/config/app-config';
import { createPino, PinoNestLogger } from './shared/http/logger';
import { apiValidationPipe } from './shared/http/validation.pipe';
import { Metrics } from './shared/metrics/metrics';
import { newId } from './shared/ids';

/** Builds the HTTP app; shared by `main.ts` and the e2e tests, so tests run the real thing. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const logger = createPino(config.logLevel);
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    genReqId: () => newId('req'),
    bodyLimit: 1024 * 1024,
  });
  const fastify = adapter.getInstance();
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('Request-Id', request.id);
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new PinoNestLogger(logger),
  });
  app.useGlobalPipes(apiValidationPipe());
  const metrics = app.get(Metrics);
  fastify.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the URL, so ids do not explode the label set.
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Renvo API')
      .setDescription('Customers and rentals for vehicle-rental businesses, event-sourced.')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'rv_test_… or rv_live_…' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json' });
  return app;
}
