// Package pgtest gives tests a fresh PostgreSQL database each, on the
// cluster named by INTEGRITAS_TEST_PG (a postgres:// URL of a role that
// may create databases). Without it the store tests run on SQLite only.
package pgtest
