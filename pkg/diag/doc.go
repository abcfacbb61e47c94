// Package diag holds positions and diagnostics: the problems aims finds in a
// user's AIMS, each pointing at a file, line and column.
//
// A diagnostic is data, not an error: stages collect them into a List and carry
// on, so one run reports every problem at once. This package does no I/O and
// knows nothing about YAML, schemas or rules.
package diag
