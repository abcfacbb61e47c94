// Package synth generates large, realistic AIMSs for benchmarks: the
// Northwind example plus copies of its AI systems with their document
// groups, one document per file, and optionally a git history touching
// them. Everything it generates checks clean, so a benchmark measures a
// real run, not an error path.
//
// It is a tool for measuring aims, not part of checking an AIMS: nothing
// outside benchmarks and cmd/aimsgen imports it.
package synth
