// Package export writes a period's results and its anonymised answers as
// CSV, XLSX or a ZIP of CSV files, row by row: the answers of a
// national-scale period (500,000 responses) stream from the store to the
// writer in constant memory, never held as a whole.
//
// A CSV holds data only; notes go to the XLSX's notes sheet or the ZIP's
// README.txt. Results carry one row per unit × type × element beside the
// unit rows, with every digit (equal to the JSON API; an XLSX rounds them to
// Excel's 15 significant digits). Every answers export
// carries a codebook (sheet or codebook.csv); the ZIP is the statistician's
// package of the LimeSurvey convention: numeric answers.csv, codebook.csv,
// SPSS syntax (answers.sps) and a base-R script (answers.R) that load it
// with variable and value labels and the missing code.
//
// Anonymity (spi-method.md §8) is applied here, before a row is written: an
// answers export holds no response id, no submitted hour and no device
// fingerprint; the rows of a unit × respondent-type group smaller than the
// minimum group size k are left out, together with the next-smallest groups
// when that is what it takes to stop the left-out answers being derived from
// the city figures (complementary suppression); a stratum is shown only
// where its cell holds at least k responses; free text only for groups of at
// least k_text. Every text cell passes SafeCell, so a spreadsheet
// never runs a cell as a formula; suppressed figures are empty cells, never 0.
//
// The words a reader sees (sheet names, notes) come from the caller, in the
// reader's language; column headers are codes, the same in every language.
package export
