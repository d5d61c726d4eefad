#!/usr/bin/env bash
# A PostgreSQL for the store's tests, from Debian's packages: installs it if missing, starts a
# cluster on 127.0.0.1:$PORT, creates role radar (password radar) and database radar_test, and
# prints the line that points the tests at it. Safe to run again: each step is skipped when done.
#
#   eval "$(scripts/ci-postgres.sh)"   # then: .venv/bin/python -m pytest tests/index
#
# Progress goes to standard error; standard output is only the export line. Needs root (apt-get
# and the postgres user), as in CI.
set -euo pipefail

PORT="${RADAR_PG_PORT:-5432}"
ROLE=radar
PASSWORD=radar
DATABASE=radar_test

say() { echo "ci-postgres: $*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
    say "needs root (to install PostgreSQL and act as the postgres user)"
    exit 1
fi

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    say "installing PostgreSQL from the Debian packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
fi

VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
CLUSTER=main

if ! pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c { found = 1 } END { exit !found }'; then
    say "creating cluster $VERSION/$CLUSTER on port $PORT"
    pg_createcluster "$VERSION" "$CLUSTER" --port "$PORT" >&2
fi

CLUSTER_PORT="$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c { print $3 }')"
if [ "$CLUSTER_PORT" != "$PORT" ]; then
    say "moving cluster $VERSION/$CLUSTER from port $CLUSTER_PORT to $PORT"
    pg_ctlcluster "$VERSION" "$CLUSTER" stop >&2 2>/dev/null || true
    pg_conftool "$VERSION" "$CLUSTER" set port "$PORT"
fi

if ! pg_ctlcluster "$VERSION" "$CLUSTER" status >/dev/null 2>&1; then
    say "starting cluster $VERSION/$CLUSTER"
    pg_ctlcluster "$VERSION" "$CLUSTER" start >&2
fi

for _ in $(seq 1 60); do
    pg_isready -q -h 127.0.0.1 -p "$PORT" && break
    sleep 0.5
done
pg_isready -q -h 127.0.0.1 -p "$PORT" || { say "PostgreSQL did not come up on 127.0.0.1:$PORT"; exit 1; }

as_postgres() { runuser -u postgres -- psql -p "$PORT" -v ON_ERROR_STOP=1 -qtAX "$@"; }

if [ "$(as_postgres -c "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != 1 ]; then
    say "creating role $ROLE"
    as_postgres -c "CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD'"
fi
# CREATEDB: bench/postgres_ingest.py makes (and drops) a database of its own for each run.
as_postgres -c "ALTER ROLE $ROLE CREATEDB"
if [ "$(as_postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" != 1 ]; then
    say "creating database $DATABASE"
    as_postgres -c "CREATE DATABASE $DATABASE OWNER $ROLE ENCODING 'UTF8' TEMPLATE template0"
fi

echo "export RADAR_TEST_DATABASE_URL=postgresql+psycopg://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DATABASE"
