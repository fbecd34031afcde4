// Package cli is the integritas command line: one file per command
// (cmd_*.go), the command table in commands.go, and the whole-binary tests
// (crash safety, the load bench, operations while serving, the anonymity
// audit), which start this package's test binary as the real server.
package cli
