/**
 * The one workload every store bench runs: N writers, each appending to its own stream with
 * the exact expected revision, until a count or a time limit is reached. Writers pull from a
 * shared counter, so a fast store does the whole count and a slow one stops at the limit;
 * appends/s stays comparable either way and the table shows how many appends were done.
 */

/**
 * Runs the contenders of one workload in interleaved rounds (A B C A B C ...), so that a
 * disk whose fsync rate drifts during the run (other processes, the host's cache) weighs on
 * every contender alike: each gets `appends / rounds` appends or `maxSeconds / rounds`
 * seconds per round, until it has done `appends` or spent `maxSeconds`.
 * `entries`: [{ makeWriter(w), onTurn?() }]; returns one summary per entry, in order.
 */
export async function compare(entries, { writers, warmup, appends, maxSeconds, rounds }) {
  const runs = [];
  for (const entry of entries) {
    entry.onTurn?.();
    const appendFns = Array.from({ length: writers }, (_, w) => entry.makeWriter(w));
    runs.push({ entry, appendFns, samples: [], spent: 0, warmupFailed: await warmUp(appendFns, warmup, maxSeconds) });
  }
  for (let round = 0; round < rounds; round++) {
    for (const run of runs) {
      const left = appends - run.samples.reduce((n, s) => n + s.latencies.length + s.failed, 0);
      if (run.spent >= maxSeconds || left <= 0) continue;
      run.entry.onTurn?.();
      const sample = await drive(run.appendFns, {
        appends: Math.min(left, Math.ceil(appends / rounds)),
        maxSeconds: maxSeconds / rounds,
      });
      run.spent += sample.seconds;
      run.samples.push(sample);
    }
  }
  return runs.map((run) => ({ ...summarize(run.samples), warmupFailed: run.warmupFailed }));
}

/**
 * One append at a time, so every writer's stream exists before the measured run and neither
 * a store's create-stream path nor its lock contention is timed. Failures are counted: a
 * store that fails here still gets measured.
 */
async function warmUp(appendFns, warmup, maxSeconds) {
  const deadline = performance.now() + Math.min(2, maxSeconds) * 1000;
  let failed = 0;
  for (let i = 0; i < Math.max(warmup, appendFns.length); i++) {
    if (i >= appendFns.length && performance.now() > deadline) break;
    await appendFns[i % appendFns.length]().catch(() => failed++);
  }
  return failed;
}

/** All writers at once; each call of an append function appends one event. */
async function drive(appendFns, { appends, maxSeconds }) {
  const sample = { latencies: [], failed: 0, errors: {}, messages: {}, seconds: 0 };
  let started = 0;
  const t0 = performance.now();
  const deadline = t0 + maxSeconds * 1000;
  await Promise.all(
    appendFns.map(async (append) => {
      while (started < appends && performance.now() < deadline) {
        started++;
        const t = performance.now();
        try {
          await append();
          sample.latencies.push(performance.now() - t);
        } catch (error) {
          const code = error?.code ?? error?.name ?? 'Error';
          sample.failed++;
          sample.errors[code] = (sample.errors[code] ?? 0) + 1;
          sample.messages[code] ??= String(error?.message ?? error);
        }
      }
    }),
  );
  sample.seconds = (performance.now() - t0) / 1000;
  return sample;
}

function summarize(samples) {
  const latencies = samples.flatMap((s) => s.latencies).sort((a, b) => a - b);
  const seconds = samples.reduce((sum, s) => sum + s.seconds, 0);
  const errors = {};
  for (const s of samples) for (const [code, n] of Object.entries(s.errors)) errors[code] = (errors[code] ?? 0) + n;
  return {
    appends: latencies.length,
    failed: samples.reduce((sum, s) => sum + s.failed, 0),
    errors,
    messages: Object.assign({}, ...samples.map((s) => s.messages)),
    seconds: round(seconds, 3),
    opsPerSec: round(latencies.length / seconds, 1),
    p50Ms: round(percentile(latencies, 50), 2),
    p99Ms: round(percentile(latencies, 99), 2),
  };
}

/** Nearest-rank percentile of an ascending array; NaN when empty. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** ours/theirs in appends/s; null against a store that failed most of its appends. */
export function ratio(ours, theirs) {
  if (!ours?.opsPerSec || !theirs?.opsPerSec || theirs.failed > theirs.appends) return null;
  return round(ours.opsPerSec / theirs.opsPerSec, 2);
}

function round(x, digits) {
  return Number.isFinite(x) ? Number(x.toFixed(digits)) : null;
}
