// Package seal holds the one secret Integritas keeps outside its database: a
// key file beside it (mode 0400). Everything that must stay unreadable to
// whoever holds the database file, its WAL and its backups — pooled answers
// waiting for release, submission hours, drafts, device fingerprints — is
// sealed or keyed with subkeys derived from that file.
//
// Losing the key file loses only what is still sealed (answers waiting in the
// pool, drafts, hours); the operator backs it up separately from the database,
// so that a stolen database backup alone reveals nothing the key protects.
package seal
