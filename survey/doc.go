// Package survey holds the instrument, survey periods, units, rosters,
// invitations and responses, their validation, and the SQLite store with its
// migrations. It knows nothing of HTTP or of how results are computed.
package survey
