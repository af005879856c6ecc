import { Agent } from 'undici';

/**
 * A closed-loop HTTP load for workloads where every request differs (a rental id in the
 * path): `concurrency` workers pull request indexes from a shared counter and record each
 * latency and status. Keep-alive connections through one undici Agent, like autocannon.
 */
export async function runLoad({ count, concurrency, request, onResponse }) {
  const dispatcher = new Agent({ connections: concurrency, pipelining: 1 });
  const latencies = [];
  const statuses = {};
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        const { url, method, headers, body } = request(i);
        const started = performance.now();
        const res = await fetch(url, { method, headers, body, dispatcher });
        if (onResponse) onResponse(await res.json());
        else await res.arrayBuffer();
        latencies.push(performance.now() - started);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  await dispatcher.close();
  latencies.sort((a, b) => a - b);
  const pct = (p) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] * 10) / 10;
  return { requests: count, statuses, rps: Math.round(count / seconds), p50Ms: pct(0.5), p99Ms: pct(0.99) };
}

/** Sequential setup calls (not measured); throws on anything but a 2xx. */
export async function mustPost(url, key, path, body) {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${path} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}
