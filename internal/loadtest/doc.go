// Package loadtest drives a running Integritas server the way respondents'
// browsers and apps do — the questionnaire page, then the form post or the
// JSON API — and measures it: responses per second, latency, errors, and
// the raw limit of the store alone for the same rows. The `integritas
// bench` command and the crash and concurrency tests are built on it.
//
// Everything here talks to a real server over HTTP on 127.0.0.1 and to a
// real SQLite file; nothing is mocked.
package loadtest
