import { TestApp } from './test-app';

export interface WrittenCustomer {
  id: string;
  version: number;
  key: string;
}

/**
 * `count` customer commands from a few concurrent clients: creates in both modes, upserts by
 * external_id (a reservation stream each), PATCHes that change one or several fields or
 * nothing at all, and now and then a completed rental, which moves the customer's stats.
 */
export async function mixedCustomerCommands(t: TestApp, count: number, concurrency = 12): Promise<WrittenCustomer[]> {
  const customers: WrittenCustomer[] = [];
  let next = 0;
  const pick = () => customers[Math.floor(Math.random() * customers.length)];
  const record = (res: { status: number; body: { id: string; version: number } }, key: string) => {
    if (res.status >= 300) throw new Error(`command failed: ${res.status} ${JSON.stringify(res.body)}`);
    const known = customers.find((c) => c.id === res.body.id);
    if (known) known.version = Math.max(known.version, res.body.version);
    else customers.push({ id: res.body.id, version: res.body.version, key });
  };
  async function one(i: number): Promise<void> {
    const key = i % 9 === 0 ? t.keys.live : t.keys.test;
    const kind = customers.length < 10 ? 0 : i % 6;
    if (kind === 0) {
      const body = { full_name: `Customer ${i}`, email: `c${i}@example.com`, metadata: { batch: String(i % 4) } };
      return record(await t.api('POST', '/v1/customers', { key, body }), key);
    }
    if (kind === 1) {
      const phone = `+1415555${String(i % 10000).padStart(4, '0')}`;
      const body = { full_name: `Upserted ${i}`, external_id: `ext-${i % 150}`, phone };
      return record(await t.api('POST', '/v1/customers', { key, body }), key);
    }
    const target = pick();
    if (kind === 5 && i % 4 === 1) {
      const body = { customer_id: target.id, vehicle_id: `veh-${i}`, status: 'COMPLETED', damage_at_return: i % 3 === 0 };
      const rental = await t.api('POST', '/v1/rentals', { key: target.key, body });
      // A paused, cancelled or archived customer may not rent (402 / 400 on customer_id): fine.
      const refused = rental.status === 402 || rental.body?.error?.param === 'customer_id';
      if (rental.status >= 300 && !refused) throw new Error(`rental failed: ${rental.status} ${JSON.stringify(rental.body)}`);
      return;
    }
    const patches = [
      { notes: `note ${i}`, metadata: { batch: null, touched: String(i) } },
      { status: i % 2 ? 'PAUSED' : 'ACTIVE', archived: i % 3 === 0 },
      { full_name: `Renamed ${i}`, email: null },
      { preferred_language: 'en' },
    ];
    record(await t.api('PATCH', `/v1/customers/${target.id}`, { key: target.key, body: patches[i % patches.length] }), target.key);
  }
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await one(next++);
    }),
  );
  return customers;
}
