import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { ConflictError } from '../errors/api-error';
import { READ_DB, ReadDb, SqlExecutor } from '../read-db/read-db.port';

const CACHE_LIMIT = 10_000;
/**
 * How long a process trusts a key it has read. Another process sharing the database may
 * erase the subject at any time (SPEC §8); this bounds how long this one can still open or
 * seal that subject's personal data with its copy. Erasures this process makes itself are
 * seen at once (markDestroyed).
 */
export const KEY_CACHE_TTL_MS = 1000;

type CacheEntry = { key: Buffer; until: number } | null;

/**
 * SPEC §8: the subject was erased, so nothing personal may ever be sealed for it again (a
 * new key would make new personal data readable). A 409: the request is well-formed, the
 * state of the data subject forbids it, and no retry will change that.
 */
export class SubjectErasedError extends ConflictError {
  constructor(subjectId: string) {
    super('customer_deleted', `Customer ${subjectId} was deleted; no personal data can be recorded for it.`);
  }
}

/**
 * One AES-256 key per data subject (a customer), in its own table. The key is durably
 * stored before the first event that uses it is appended, so no acknowledged event can be
 * unreadable; destroying it is what erasure means (crypto-shredding). A destroyed key keeps
 * its row (secret NULL, destroyed_at set) as a tombstone: keyFor must never mint a new one.
 */
@Injectable()
export class SubjectKeyStore {
  /** A key until its TTL, or null for a subject known to be erased (a tombstone: it beats a late lookup). */
  private readonly cache = new Map<string, CacheEntry>();
  /** The clock the TTL is measured on (a test moves it). */
  now: () => number = Date.now;

  constructor(@Inject(READ_DB) private readonly db: ReadDb) {}

  /** The cached key; null for a known tombstone; undefined when unknown or expired. */
  private cached(subjectId: string): Buffer | null | undefined {
    const entry = this.cache.get(subjectId);
    if (entry === undefined || entry === null) return entry;
    return entry.until > this.now() ? entry.key : undefined;
  }

  /**
   * The subject's key, created on first use; SubjectErasedError once it was destroyed.
   * `firstUse` (the subject's creating event) inserts before it reads: a new subject almost
   * never has a key yet, and the read would be wasted.
   */
  async keyFor(subjectId: string, firstUse = false): Promise<Buffer> {
    const existing = firstUse ? this.cached(subjectId) : await this.find(subjectId);
    if (existing) return existing;
    if (this.cache.get(subjectId) === null) throw new SubjectErasedError(subjectId);
    // ON CONFLICT DO NOTHING + re-read: two requests creating one subject's key agree on one,
    // and a tombstone row (secret NULL) is never overwritten with a fresh key.
    const secret = randomBytes(32);
    const { changes } = await this.db.run(
      'INSERT INTO subject_keys (subject_id, secret, created_at) VALUES ($1, $2, $3) ON CONFLICT (subject_id) DO NOTHING',
      [subjectId, secret.toString('base64'), Date.now()],
    );
    if (changes === 1) {
      this.remember(subjectId, secret);
      return secret;
    }
    const key = await this.find(subjectId);
    if (!key) throw new SubjectErasedError(subjectId);
    return key;
  }

  /** The key, or null when it never existed or was destroyed. */
  async find(subjectId: string): Promise<Buffer | null> {
    const cached = this.cached(subjectId);
    if (cached !== undefined) return cached;
    const row = await this.db.get<{ secret: string | null }>('SELECT secret FROM subject_keys WHERE subject_id = $1', [
      subjectId,
    ]);
    const key = row?.secret ? Buffer.from(row.secret, 'base64') : null;
    if (key) this.remember(subjectId, key);
    return key;
  }

  /** Whether the subject's erasure was completed (its key row carries destroyed_at). */
  async isDestroyed(tx: SqlExecutor, subjectId: string): Promise<boolean> {
    const row = await tx.get<{ destroyed_at: number | null }>('SELECT destroyed_at FROM subject_keys WHERE subject_id = $1', [
      subjectId,
    ]);
    return row?.destroyed_at != null;
  }

  /**
   * Destroys the key inside the erasure's transaction. An upsert: a subject that never had a
   * key gets a tombstone too, so no later write can create one.
   */
  async destroy(tx: SqlExecutor, subjectId: string, now = Date.now()): Promise<void> {
    await tx.run(
      `INSERT INTO subject_keys (subject_id, secret, created_at, destroyed_at) VALUES ($1, NULL, $2, $2)
       ON CONFLICT (subject_id) DO UPDATE SET secret = NULL, destroyed_at = excluded.destroyed_at`,
      [subjectId, now],
    );
  }

  /**
   * From now on this process treats the key as gone: decodes open personal fields as null
   * and keyFor refuses. Set before the erasure rewrites read models from the log, so they
   * are decoded without the key; `forget` undoes it if that transaction fails.
   */
  markDestroyed(subjectId: string): void {
    this.cache.delete(subjectId);
    this.cache.set(subjectId, null);
  }

  /** Drops every key the cache holds (tombstones stay): the next lookups ask the database. */
  forgetAll(): void {
    for (const [subjectId, entry] of this.cache) if (entry !== null) this.cache.delete(subjectId);
  }

  /** Drops what the cache holds for the subject; the next lookup asks the database. */
  forget(subjectId: string): void {
    this.cache.delete(subjectId);
  }

  private remember(subjectId: string, key: Buffer): void {
    // A lookup that started before markDestroyed must not bring the key back.
    if (this.cache.get(subjectId) === null) return;
    this.cache.delete(subjectId);
    if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(subjectId, { key, until: this.now() + KEY_CACHE_TTL_MS });
  }
}
