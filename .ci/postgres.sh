#!/usr/bin/env bash
# A real PostgreSQL server on loopback for the persistence tests.
#
# Installs PostgreSQL from the Debian packages when missing, starts a cluster that
# listens on 127.0.0.1 only, creates the role and database `dromologio`, and prints
# one line on stdout:
#
#   export DROMOLOGIO_TEST_POSTGRES_URL=postgresql+psycopg://dromologio:...@127.0.0.1:PORT/dromologio
#
# so that `eval "$(bash .ci/postgres.sh)"` sets it.  Everything else goes to stderr.
# Safe to run again: each step is skipped when already done.  Needs root (apt-get,
# and running commands as the `postgres` user).
set -euo pipefail

ROLE=dromologio
DATABASE=dromologio
PASSWORD="${DROMOLOGIO_TEST_POSTGRES_PASSWORD:-dromologio}"
CLUSTER=main

log() { echo "postgres.sh: $*" >&2; }

if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
    log "installing postgresql from the Debian packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2
    apt-get install -y -q postgresql >&2
fi

VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
if ! pg_lsclusters --no-header | awk '{print $1, $2}' | grep -qx "$VERSION $CLUSTER"; then
    log "creating cluster $VERSION/$CLUSTER"
    pg_createcluster "$VERSION" "$CLUSTER" >&2
fi

# Loopback only: nothing outside this machine can reach the test server.
# (conf.d is read after postgresql.conf, so this file wins.)
echo "listen_addresses = '127.0.0.1'" >"/etc/postgresql/$VERSION/$CLUSTER/conf.d/dromologio-loopback.conf"
PORT="$(pg_conftool -s "$VERSION" "$CLUSTER" show port)"

STATUS="$(pg_lsclusters --no-header | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c {print $4}')"
if [ "$STATUS" = "online" ]; then
    # The listen address may have changed since it started.
    pg_ctlcluster "$VERSION" "$CLUSTER" restart >&2
else
    log "starting cluster $VERSION/$CLUSTER on 127.0.0.1:$PORT"
    pg_ctlcluster "$VERSION" "$CLUSTER" start >&2
fi

as_postgres() { runuser -u postgres -- "$@"; }

for _ in $(seq 1 30); do
    if as_postgres pg_isready -q -h 127.0.0.1 -p "$PORT"; then
        break
    fi
    sleep 1
done
as_postgres pg_isready -h 127.0.0.1 -p "$PORT" >&2

# CREATEDB: the tests make a fresh database per test and drop it afterwards.
as_postgres psql -v ON_ERROR_STOP=1 -q -p "$PORT" -d postgres >&2 <<SQL
DO \$\$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
        CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
    ELSE
        ALTER ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
    END IF;
END
\$\$;
-- DROP DATABASE ... WITH (FORCE) must also end an autovacuum worker visiting the
-- test database, which only a member of pg_signal_backend may do.
GRANT pg_signal_backend TO $ROLE;
SQL
if ! as_postgres psql -tA -p "$PORT" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'" | grep -q 1; then
    as_postgres createdb -p "$PORT" -O "$ROLE" "$DATABASE" >&2
fi

echo "export DROMOLOGIO_TEST_POSTGRES_URL=postgresql+psycopg://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DATABASE"
