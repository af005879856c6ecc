import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

/**
 * One pino instance (JSON lines) for Fastify's request logs and Nest's own messages.
 * Request lines carry the path without its query string: filters such as `?email=` are
 * personal data (SPEC §8), and logs are among the places the service writes.
 */
export function createPino(level: string): Logger {
  return pino({
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: {
      err: pino.stdSerializers.err,
      req: (req: { method: string; url: string; id?: string }) => ({
        method: req.method,
        path: req.url.split('?')[0],
        id: req.id,
      }),
    },
  });
}

export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Logger) {}

  log(message: unknown, context?: string) {
    this.write('info', message, context);
  }
  error(message: unknown, trace?: string, context?: string) {
    // An object message ({ err, reqId }) goes to pino as fields, so `err` is serialised with
    // its stack instead of JSON.stringify's `{}`.
    if (message && typeof message === 'object') this.pino.error({ context: context ?? trace, ...message });
    else this.pino.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string) {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string) {
    this.write('trace', message, context);
  }

  private write(level: 'info' | 'warn' | 'debug' | 'trace', message: unknown, context?: string) {
    if (message && typeof message === 'object') this.pino[level]({ context, ...message });
    else this.pino[level]({ context }, String(message));
  }
}
