// Package demo builds Kota Sukamaju, a fictional Indonesian city, into a
// store: about 35 OPDs with rosters and a few thousand responses over two
// survey periods, with varied and plausible integrity profiles. Generation is
// seeded, so the same seed always gives the same city.
package demo
