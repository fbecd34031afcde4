#!/bin/sh
# Starts a throwaway PostgreSQL cluster for the tests on the second store
# engine and prints the line that points the tests at it:
#
#   eval "$(sh scripts/pg-cluster.sh)"      # sets INTEGRITAS_PG_CLUSTER and PG_CLUSTER_DIR
#   sh scripts/pg-cluster.sh stop "$PG_CLUSTER_DIR"
#
# It needs PostgreSQL's server binaries (Debian: apt-get install postgresql;
# they live in /usr/lib/postgresql/<version>/bin). The cluster trusts local
# connections, listens on 127.0.0.1 only, and lives in a temporary folder.
# Run as root, it runs the server as the postgres user (initdb refuses root).
set -eu
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ] && command -v initdb >/dev/null 2>&1; then
	bin=$(dirname "$(command -v initdb)")
fi
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
	echo "pg-cluster: PostgreSQL's initdb not found (apt-get install postgresql)" >&2
	exit 1
fi
as() { # run a command as the cluster's owner
	if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}
if [ "${1:-}" = stop ]; then
	as "'$bin/pg_ctl' -D '$2/data' -m immediate stop" >/dev/null 2>&1 || true
	rm -rf "$2"
	exit 0
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/integritas-pg.XXXXXX")
[ "$(id -u)" = 0 ] && chown postgres "$dir"
port=$((20000 + $$ % 20000))
as "'$bin/initdb' -D '$dir/data' -A trust -U postgres -E UTF8 --locale=C.UTF-8" >"$dir/initdb.log" 2>&1 ||
	{ cat "$dir/initdb.log" >&2; exit 1; }
# Many test stores run at once, each with its own pool: raise the cap.
as "'$bin/pg_ctl' -D '$dir/data' -w -l '$dir/log' -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c max_connections=400\" start" >/dev/null ||
	{ cat "$dir/log" >&2; exit 1; }
echo "export INTEGRITAS_PG_CLUSTER='postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable' PG_CLUSTER_DIR='$dir'"
