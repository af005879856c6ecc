import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { AppConfig } from './shared/config/app-config';
import { createPino, PinoNestLogger } from './shared/http/logger';
import { apiValidationPipe } from './shared/http/validation.pipe';
import { Metrics } from './shared/metrics/metrics';
import { newId } from './shared/ids';
import { InvalidRequestError } from './shared/errors/api-error';

const MAX_BODY_DEPTH = 32;

const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Depth of nested objects and arrays, and the first reserved key, found without recursion. */
function inspectBody(value: unknown): { depth: number; reservedKey?: { key: string; path: string } } {
  let depth = 0;
  let reservedKey: { key: string; path: string } | undefined;
  const stack: Array<[unknown, number, string]> = [[value, 1, '']];
  while (stack.length) {
    const [node, level, path] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    depth = Math.max(depth, level);
    if (depth > MAX_BODY_DEPTH) return { depth };
    for (const [key, child] of Object.entries(node as object)) {
      const childPath = path ? `${path}.${key}` : key;
      if (!reservedKey && RESERVED_KEYS.has(key)) reservedKey = { key, path: childPath };
      stack.push([child, level + 1, childPath]);
    }
  }
  return { depth, reservedKey };
}

/** Builds the HTTP app; shared by `main.ts` and the e2e tests, so tests run the real thing. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const logger = createPino(config.logLevel);
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    genReqId: () => newId('req'),
    bodyLimit: 1024 * 1024,
    // A URL Fastify cannot decode never reaches Nest's filter: answer it in the same shape.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const apiError = new InvalidRequestError(`The request URL is malformed: ${error.message}`, undefined, 'invalid_url');
      void reply.status(400).header('Request-Id', request.id).send(apiError.toBody());
    },
  });
  const fastify = adapter.getInstance();
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('Request-Id', request.id);
  });
  // Validation and idempotency fingerprints walk bodies recursively; no real request nests
  // deeper than this, and a deeper one must be a 400, not a stack overflow's 500.
  fastify.addHook('preValidation', async (request) => {
    const { depth, reservedKey } = inspectBody(request.body);
    if (depth > MAX_BODY_DEPTH) {
      throw new InvalidRequestError(`The request body nests deeper than ${MAX_BODY_DEPTH} levels.`, undefined, 'body_too_deep');
    }
    // Nest's ValidationPipe strips these (prototype pollution); say so instead of dropping them.
    if (reservedKey) {
      throw new InvalidRequestError(`"${reservedKey.key}" is a reserved key name.`, reservedKey.path, 'reserved_key');
    }
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
