// Package architecture holds no code: its tests check that the module keeps
// the shape ARCHITECTURE.md describes — every package named there, data
// flowing one way, gin only in server, the store read for figures only
// through results.
package architecture
