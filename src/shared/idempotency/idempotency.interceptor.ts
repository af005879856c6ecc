import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { catchError, from, mergeMap, Observable, of, throwError } from 'rxjs';
import { AuthContext } from '../auth/auth-context';
import { ApiError, ConflictError, InvalidRequestError } from '../errors/api-error';
import { toApiError } from '../errors/api-exception.filter';
import { IdempotencyRecords } from './idempotency.records';

const WRITE_METHODS = new Set(['POST', 'PATCH', 'DELETE']);

/** JSON with object keys sorted: the same request with its keys in another order is the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * SPEC §2 Idempotency-Key. The key is claimed with an INSERT before the handler runs, so
 * of two concurrent requests with one key exactly one executes; the other sees the claim
 * (409 while in flight, the stored response afterwards). Results that a retry could change
 * (5xx, 409 races) release the claim instead of being stored.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly records: IdempotencyRecords) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest();
    const reply = context.switchToHttp().getResponse();
    const key = request.headers['idempotency-key'] as string | undefined;
    const auth = request.auth as AuthContext | undefined;
    if (!key || !auth || !WRITE_METHODS.has(request.method)) return next.handle();
    if (key.length > 255) {
      return throwError(() => new InvalidRequestError('Idempotency-Key may be at most 255 characters.', 'Idempotency-Key'));
    }
    const scope = { accountId: auth.accountId, livemode: auth.livemode, key };
    const fingerprint = createHash('sha256')
      .update(`${request.method} ${request.url}\n${canonicalJson(request.body ?? null)}`)
      .digest('hex');
    return from(this.records.claim(scope, fingerprint)).pipe(
      mergeMap((existing) => {
        if (existing === 'claimed') {
          // With the fingerprint: a key reused for a different request after its 24 h
          // must not derive the id of the resource its first request created.
          auth.idempotencyKey = `${key}:${fingerprint}`;
          return this.execute(next, reply, scope);
        }
        if (existing.fingerprint !== fingerprint) {
          throw new ApiError(
            400,
            'invalid_request_error',
            'idempotency_error',
            'This Idempotency-Key was used with a different request; use a new key for a new request.',
            'Idempotency-Key',
          );
        }
        if (existing.status === null) {
          throw new ConflictError(
            'idempotency_key_in_use',
            'A request with this Idempotency-Key is still being processed; retry later.',
            'Idempotency-Key',
          );
        }
        reply.header('Idempotent-Replayed', 'true');
        reply.status(existing.status);
        return of(existing.body);
      }),
    );
  }

  private execute(next: CallHandler, reply: { statusCode: number }, scope: Parameters<IdempotencyRecords['claim']>[0]) {
    return next.handle().pipe(
      mergeMap((body) => from(this.records.complete(scope, reply.statusCode, body)).pipe(mergeMap(() => of(body)))),
      catchError((error) => {
        const apiError = toApiError(error, '');
        const keep = apiError.status < 500 && apiError.status !== 409 && apiError.status !== 429;
        const done = keep
          ? this.records.complete(scope, apiError.status, apiError.toBody())
          : this.records.release(scope);
        return from(done).pipe(mergeMap(() => throwError(() => error)));
      }),
    );
  }
}
