#!/bin/sh
# The store, server and whole-binary (internal/cli) suites again, on
# PostgreSQL (the second store engine): with INTEGRITAS_TEST_PG=1 every
# test's store is a fresh database on the cluster INTEGRITAS_PG_CLUSTER
# names. Tests whose names end in Postgres already ran on the cluster in
# the main `go test ./...` and are skipped here; tests about the SQLite
# file itself (backup, the crash test) skip saying why. Without a
# cluster, a throwaway one is started (scripts/pg-cluster.sh) when
# PostgreSQL is installed; otherwise the run is skipped, except under
# INTEGRITAS_REQUIRE_ALL=1 (CI), where nothing may skip.
#
#   sh scripts/pg-tests.sh
set -eu
cd "$(dirname "$0")/.."
if [ -z "${INTEGRITAS_PG_CLUSTER:-}" ]; then
	if out=$(sh scripts/pg-cluster.sh); then
		eval "$out"
		trap 'sh scripts/pg-cluster.sh stop "$PG_CLUSTER_DIR"' EXIT
	elif [ "${INTEGRITAS_REQUIRE_ALL:-}" = 1 ]; then
		echo "pg-tests: no PostgreSQL, and INTEGRITAS_REQUIRE_ALL=1 forbids skipping" >&2
		exit 1
	else
		echo "pg-tests: SKIP: PostgreSQL is not installed (apt-get install postgresql)"
		exit 0
	fi
fi
echo "+ INTEGRITAS_TEST_PG=1 go test -skip 'Postgres\$' ./survey ./server ./internal/cli"
INTEGRITAS_PG_CLUSTER=$INTEGRITAS_PG_CLUSTER INTEGRITAS_TEST_PG=1 go test -count=1 -skip 'Postgres$' ./survey ./server ./internal/cli
