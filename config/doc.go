// Package config is Integritas's one typed configuration, read from command
// line flags and INTEGRITAS_* environment variables (secrets also from
// INTEGRITAS_*_FILE), and validated before anything starts.
package config
