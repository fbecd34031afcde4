// Package pgtest gives tests a fresh PostgreSQL database each, on the
// cluster INTEGRITAS_PG_CLUSTER names (a postgres:// URL of a role that may
// create databases; .ci/run and scripts/pg-tests.sh start one). Tests of
// what only PostgreSQL does (migrate-store, several nodes) take a database
// with Database, and skip without a cluster (fail under
// INTEGRITAS_REQUIRE_ALL). The store, server and command-line suites run
// on SQLite, and again on PostgreSQL when INTEGRITAS_TEST_PG=1 as well
// (scripts/pg-tests.sh): Enabled switches them.
package pgtest
