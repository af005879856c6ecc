#!/usr/bin/env bash
# Brings up the PostgreSQL the contract suites expect (TEST_DATABASE_URL's default:
# postgres://renvo:renvo@127.0.0.1:5432/postgres). Safe to run any number of times.
# Works as root on a fresh Debian 12; elsewhere it uses sudo when it is not root.
set -euo pipefail

PG_VERSION="${PG_VERSION:-15}"
PG_CLUSTER="${PG_CLUSTER:-main}"
PG_PORT="${PG_PORT:-5432}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

as_postgres() {
  # From / so psql does not warn about a working directory postgres cannot read.
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else (cd / && sudo -u postgres "$@"); fi
}

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends postgresql
fi

# The package creates the cluster on install; an image built without it may lack one.
if ! pg_lsclusters --no-header | awk '{print $1, $2}' | grep -qx "$PG_VERSION $PG_CLUSTER"; then
  $SUDO pg_createcluster "$PG_VERSION" "$PG_CLUSTER" --port "$PG_PORT"
fi

# `start` fails on a running cluster, so ask first instead of parsing its error text.
if ! $SUDO pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" status >/dev/null 2>&1; then
  $SUDO pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
fi

for _ in $(seq 1 60); do
  if pg_isready -q -h 127.0.0.1 -p "$PG_PORT"; then break; fi
  sleep 1
done
if ! pg_isready -h 127.0.0.1 -p "$PG_PORT"; then
  echo "PostgreSQL $PG_VERSION/$PG_CLUSTER did not become ready on port $PG_PORT" >&2
  exit 1
fi

# Superuser because each test file creates and drops its own database.
role_exists="$(as_postgres psql -p "$PG_PORT" -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'renvo'")"
if [ "$role_exists" = "1" ]; then
  echo "PostgreSQL ready; role renvo already exists"
  exit 0
fi
as_postgres psql -p "$PG_PORT" -v ON_ERROR_STOP=1 -c "CREATE ROLE renvo LOGIN SUPERUSER PASSWORD 'renvo'"
echo "PostgreSQL ready; role renvo created"
