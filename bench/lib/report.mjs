import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const REPO_DIR = dirname(BENCH_DIR);
const RESULTS_FILE = join(BENCH_DIR, 'results', 'latest.json');

/** Plain-text table: right-aligns every column whose cells are all numbers. */
export function table(headers, rows) {
  const cells = [headers, ...rows].map((row) => row.map((c) => (c == null ? '-' : String(c))));
  const numeric = headers.map((_, i) => rows.every((r) => r[i] == null || typeof r[i] === 'number'));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (row) =>
    row.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

function times(x) {
  return x == null ? null : `${x}x`;
}

/** The results table of one store area, its ratio table, and a note per failure kind. */
export function printCases({ workloads, cases, ratios }) {
  const labelOf = (key) => workloads.find((w) => w.key === key).label;
  print(table(
    ['workload', 'store', 'appends', 'failed', 'appends/s', 'p50 ms', 'p99 ms'],
    cases.map((c) => [labelOf(c.workload), c.label, c.appends, c.failed, c.opsPerSec, c.p50Ms, c.p99Ms]),
  ));
  print();
  const columns = Object.keys(Object.values(ratios)[0]);
  print(table(
    ['ratio (same run)', ...columns],
    workloads.map((w) => [w.label, ...columns.map((col) => times(ratios[w.key][col]))]),
  ));
  for (const c of cases) {
    const label = `note: ${c.label}, ${labelOf(c.workload)}:`;
    for (const [code, n] of Object.entries(c.errors)) print(`${label} ${n} appends failed with ${c.messages[code]}`);
    for (const [code, n] of Object.entries(c.uncaught ?? {})) print(`${label} ${n} uncaught ${code} outside any append`);
    if (c.warmupFailed) print(`${label} ${c.warmupFailed} warm-up appends failed`);
  }
  if (Object.values(ratios).some((r) => Object.values(r).includes(null))) {
    print('a ratio shows - where the other store failed more appends than it completed');
  }
  print();
}

export function print(text = '') {
  process.stdout.write(`${text}\n`);
}

/**
 * Each area's script adds its own section to results/latest.json (run.sh deletes the file
 * first), so a partial run still leaves the sections that finished.
 */
export function saveSection(name, section) {
  mkdirSync(dirname(RESULTS_FILE), { recursive: true });
  let results;
  try {
    results = JSON.parse(readFileSync(RESULTS_FILE, 'utf8'));
  } catch {
    results = { meta: runMeta() };
  }
  results[name] = section;
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
}

function runMeta() {
  return {
    startedAt: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    buildOk: process.env.BENCH_BUILD_OK !== '0',
    commit: process.env.BENCH_COMMIT || null,
  };
}
