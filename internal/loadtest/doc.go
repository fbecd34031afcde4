// Package loadtest drives a running Integritas server the way respondents'
// browsers and apps do — the questionnaire page, then the form post and the
// thanks page it redirects to, or the JSON API — and measures it: at a
// fixed arrival rate (Paced) and at its maximum (Load, a closed loop), the
// rate achieved, latency, errors, the server's CPU per response, its group
// commits and peak memory, and the raw limit of the store alone for the
// same rows. The `integritas bench` command and the crash and concurrency
// tests are built on it.
//
// Everything here talks to a real server over HTTP on 127.0.0.1 and to a
// real SQLite file; nothing is mocked.
package loadtest
