// Package procs adapts GOMAXPROCS to the server's load.
//
// At a light, steady load — answers arriving one at a time, as in a city's
// fieldwork — every request found the second processor idle and woke a
// thread to look for work there, and that thread went back to sleep
// finding none: on the shared 2-core machine a request to the static
// thanks page cost 162–180 µs of server CPU at 900 requests/s with two
// processors and 124–135 µs with one, and a whole browser-like response
// paced at 300/s (BenchmarkRespondPaced300, three runs of each in
// alternation, load 0.9–1.1) 1,060–1,263 µs with two and 851–881 µs under
// the governor. Under a heavy load the second processor doubles the
// throughput (BenchmarkRespondBrowser: 3,556–3,861 responses/s and 268–276
// µs per response under the governor, 3,640–3,923 and 260–285 without). SQLite's C calls and system calls keep
// running on threads of their own beside the one processor.
//
// The governor runs the scheduler on one processor while the process uses
// little CPU and on all of them as soon as it uses more, so that neither
// load pays for the other. It is off when the operator sets GOMAXPROCS.
package procs
