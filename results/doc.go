// Package results joins the store and the analysis engine: it reads a
// period's frame and responses from survey, hands them to analysis.Compute as
// plain values, and returns the results every caller (command line, API,
// pages, charts, packets) shares, so they all print the same numbers.
package results
