// Package server is the HTTP surface of Integritas: respondent pages, the
// analyst and inspectorate pages, the JSON API, authentication and the
// middleware around them. Handlers are thin: they call survey, analysis,
// charts and packet, and map their errors to responses in one place.
package server
