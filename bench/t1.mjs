import { sqliteConnection, getSQLiteEventStore } from '@event-driven-io/emmett-sqlite';
import os from 'node:os'; import fs from 'node:fs'; import path from 'node:path';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 't1-'));
const c = sqliteConnection({ fileName: path.join(dir, 'a.db') });
console.log(await c.querySingle('PRAGMA synchronous'), await c.querySingle('PRAGMA busy_timeout'), await c.querySingle('PRAGMA journal_mode'));
c.close();
const store = getSQLiteEventStore({ fileName: path.join(dir, 'e.db') });
const ev = { type: 'RentalBooked', data: { a: 1 }, metadata: { request_id: 'x' } };
let v = 0n; let t = performance.now();
for (let i = 0; i < 300; i++) { const r = await store.appendToStream('rental-1', [ev], { expectedStreamVersion: v }); v = r.nextExpectedStreamVersion; }
console.log('single', v, (300 / ((performance.now() - t) / 1000)).toFixed(0));
t = performance.now(); let errs = 0;
await Promise.all(Array.from({ length: 32 }, async (_, w) => { let v = 0n; for (let i = 0; i < 20; i++) { try { const r = await store.appendToStream(`rental-c${w}`, [ev], { expectedStreamVersion: v }); v = r.nextExpectedStreamVersion; } catch (e) { errs++; if (errs < 3) console.log(e.message, e.code); } } }));
console.log('conc', errs, (640 / ((performance.now() - t) / 1000)).toFixed(0));
