import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { EventMetadata } from '../event-store/event-store.port';

/** Who is calling: resolved from the API key by the guard, read by controllers. */
export interface AuthContext {
  accountId: string;
  livemode: boolean;
  keyId: string;
  requestId: string;
  /** The claimed Idempotency-Key and request fingerprint, set by the idempotency interceptor. */
  idempotencyKey?: string;
}

export const IS_PUBLIC = 'renvo:public';
/** Routes that need no API key (health, metrics, API reference). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export const Auth = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthContext => {
  return ctx.switchToHttp().getRequest().auth;
});

/** Correlation data stored with every event a request causes (SPEC §2). */
export function eventMetadata(auth: AuthContext): EventMetadata {
  return { request_id: auth.requestId, key_id: auth.keyId, account_id: auth.accountId, livemode: auth.livemode };
}
