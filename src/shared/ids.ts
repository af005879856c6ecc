import { createHash, randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Random bytes are drawn from a pooled buffer refilled 4 KiB at a time: a system call per id
 * showed up on the request path (every request gets a `req_` id).
 */
const pool = Buffer.alloc(4096);
let offset = pool.length;

function random(length: number): Buffer {
  if (offset + length > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + length);
  offset += length;
  return bytes;
}

/** Opaque, prefixed, URL-safe ids (`cu_…`, `req_…`) with ~119 bits of randomness. */
export function newId(prefix: string, length = 20): string {
  return encode(prefix, random(length), length);
}

/**
 * The id of a resource a request creates. With an Idempotency-Key it is derived from the
 * key, so a retry after a crash that cut the first attempt off (its event may already be in
 * the log) lands on the same resource instead of creating a second one.
 */
export function newResourceId(
  prefix: string,
  scope: { accountId: string; livemode: boolean; idempotencyKey?: string },
): string {
  if (!scope.idempotencyKey) return newId(prefix);
  const digest = createHash('sha256')
    .update(`${prefix}\n${scope.accountId}\n${scope.livemode}\n${scope.idempotencyKey}`)
    .digest();
  return encode(prefix, digest, 20);
}

function encode(prefix: string, bytes: Buffer, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i] % 62];
  return `${prefix}_${out}`;
}
