#!/usr/bin/env bash
# `npm run bench`: build the service, make sure the bench-only dependencies are installed, then
# run each area's bench. Every number in one run is measured in that run, on this machine.
# See bench/README.md for what the numbers mean and the BENCH_* knobs.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
mkdir -p bench/results
rm -f bench/results/latest.json

quiet_npm_noise() { grep -v 'Unknown user config' || true; }

echo "== build (npm run build)"
build_log=bench/results/build.log
if npm run build --silent >"$build_log" 2>&1; then
  export BENCH_BUILD_OK=1
  echo "ok"
else
  # Others edit src/ while the bench runs; tsc still emits, so a type error elsewhere need not
  # stop a store bench. The results record it, and BENCH_STRICT_BUILD=1 makes it fatal.
  export BENCH_BUILD_OK=0
  echo "warning: npm run build reported errors; benchmarking what tsc emitted (see $build_log):"
  quiet_npm_noise <"$build_log" | head -n 8
  [[ "${BENCH_STRICT_BUILD:-0}" == 1 ]] && exit 1
fi
BENCH_COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo '+dirty')"
export BENCH_COMMIT

echo
echo "== bench deps (bench/package.json -> bench/node_modules)"
stamp_file=bench/node_modules/.renvo-bench-stamp
deps_stamp() { cat bench/package.json bench/package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1; }
if [[ -f $stamp_file && "$(cat "$stamp_file")" == "$(deps_stamp)" \
      && -f bench/node_modules/sqlite3/build/Release/node_sqlite3.node ]]; then
  echo "up to date"
else
  install_started=$SECONDS
  install_log=bench/results/install.log
  [[ -f bench/package-lock.json ]] && install=ci || install=install
  # sqlite3 (emmett-sqlite's driver) has no prebuilt binary reachable here: skip the download
  # attempt and compile it (about a minute, once). Its install script is approved in
  # bench/package.json's allowScripts.
  if ! npm_config_build_from_source=true npm "$install" --prefix bench --no-audit --no-fund \
       --loglevel=error >"$install_log" 2>&1; then
    quiet_npm_noise <"$install_log" | tail -n 30
    echo "bench deps: npm $install failed (full log: $install_log)" >&2
    exit 1
  fi
  deps_stamp >"$stamp_file"
  echo "installed with npm $install in $((SECONDS - install_started)) s"
fi

echo
echo "== event store: SQLite"
node bench/event-store.bench.mjs

echo "== event store: PostgreSQL"
node bench/postgres.bench.mjs

echo "== HTTP"
if [[ -f bench/http.bench.mjs ]]; then
  node bench/http.bench.mjs
else
  echo "skipped: bench/http.bench.mjs not written yet"
  echo
fi

echo "== usage"
node bench/usage.bench.mjs

echo "== rentals"
node bench/rentals.bench.mjs

echo "== rebuild and as_of"
node bench/rebuild.bench.mjs

echo "== webhooks"
node bench/webhooks.bench.mjs

echo "results: bench/results/latest.json (total $((SECONDS - started)) s)"
