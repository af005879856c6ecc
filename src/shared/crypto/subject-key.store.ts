import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { READ_DB, ReadDb } from '../read-db/read-db.port';

const CACHE_LIMIT = 10_000;

/**
 * One AES-256 key per data subject (a customer), in its own table. The key is durably
 * stored before the first event that uses it is appended, so no acknowledged event can be
 * unreadable; destroying it is what erasure means (crypto-shredding).
 */
@Injectable()
export class SubjectKeyStore {
  private readonly cache = new Map<string, Buffer | null>();

  constructor(@Inject(READ_DB) private readonly db: ReadDb) {}

  /** The subject's key, created on first use. */
  async keyFor(subjectId: string): Promise<Buffer> {
    const existing = await this.find(subjectId);
    if (existing) return existing;
    // ON CONFLICT DO NOTHING + re-read: two requests creating one subject's key agree on one.
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
    if (!key) throw new Error(`key of ${subjectId} was destroyed`);
    return key;
  }

  /** The key, or null when it never existed or was destroyed. */
  async find(subjectId: string): Promise<Buffer | null> {
    const cached = this.cache.get(subjectId);
    if (cached) return cached;
    const row = await this.db.get<{ secret: string | null }>('SELECT secret FROM subject_keys WHERE subject_id = $1', [
      subjectId,
    ]);
    const key = row?.secret ? Buffer.from(row.secret, 'base64') : null;
    if (key) this.remember(subjectId, key);
    return key;
  }

  private remember(subjectId: string, key: Buffer): void {
    if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(subjectId, key);
  }
}
