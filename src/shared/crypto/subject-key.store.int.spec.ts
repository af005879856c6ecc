import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { READ_DB_SCHEMA } from '../read-db/read-db.schema';
import { SqliteReadDb } from '../read-db/sqlite-read-db';
import { KEY_CACHE_TTL_MS, SubjectErasedError, SubjectKeyStore } from './subject-key.store';

/** Two processes on one database: each has its own key cache, and erasure must reach both. */
describe('SubjectKeyStore shared by two processes', () => {
  let dir: string;
  let db: SqliteReadDb;
  let eraser: SubjectKeyStore;
  let peer: SubjectKeyStore;
  let peerClock: number;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'renvo-keys-'));
    db = new SqliteReadDb(join(dir, 'read.sqlite'));
    await db.exec(READ_DB_SCHEMA);
    eraser = new SubjectKeyStore(db);
    peer = new SubjectKeyStore(db);
    peerClock = 1_000_000;
    peer.now = () => peerClock;
  });
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const outcome = (p: Promise<unknown>) => p.then(() => 'sealed', (e) => (e instanceof SubjectErasedError ? 'erased' : String(e)));

  it("another process stops using an erased subject's key within the cache TTL", async () => {
    const key = await eraser.keyFor('cu_1', true);
    expect(await peer.find('cu_1')).toEqual(key);
    await db.transaction((tx) => eraser.destroy(tx, 'cu_1'));
    eraser.markDestroyed('cu_1');
    expect(await eraser.find('cu_1')).toBeNull();
    // The peer's copy is trusted for at most the TTL...
    peerClock += KEY_CACHE_TTL_MS - 1;
    expect(await peer.find('cu_1')).toEqual(key);
    // ...then it asks the database, which holds only the tombstone.
    peerClock += 2;
    expect(await peer.find('cu_1')).toBeNull();
    expect(await outcome(peer.keyFor('cu_1'))).toBe('erased');
    expect(await outcome(peer.keyFor('cu_1', true))).toBe('erased');
  });

  it('a key still alive is read again after the TTL and stays the same key', async () => {
    const key = await eraser.keyFor('cu_2', true);
    expect(await peer.keyFor('cu_2')).toEqual(key);
    peerClock += KEY_CACHE_TTL_MS * 5;
    expect(await peer.keyFor('cu_2')).toEqual(key);
    expect(await peer.keyFor('cu_2', true)).toEqual(key);
  });
});
