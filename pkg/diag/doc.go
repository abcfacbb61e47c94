// Package diag holds positions and diagnostics: the problems aims finds in a
// user's AIMS, each pointing at a file, line and column.
//
// A diagnostic is data, not an error: stages collect them into a List and carry
// on, so one run reports every problem at once. A Rule is the value behind a
// diagnostic's code: its severity, the clauses it protects, and the text that
// `aims rules`, `aims explain`, SARIF and docs/rules.md show. Each stage
// (load, schema, link, gap) defines its own rules beside its checks; this
// package does no I/O and knows nothing about YAML or schemas.
package diag
