// Package pgdb opens PostgreSQL through database/sql for SQL written for
// SQLite: the store keeps one text of every statement, and this is the
// one place that text is adapted to PostgreSQL.
package pgdb
