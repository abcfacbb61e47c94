// Package diff compares two analysed states of an AIMS (two git revisions,
// or a revision and the working tree) and reports what an auditor asks
// about: requirements whose status changed, risks added, removed or
// re-scored, Statement of Applicability changes, evidence added, removed or
// expired, nonconformities opened or closed, AI systems added, removed or
// re-tiered.
//
// It is a semantic diff of models and gap results, never a text diff, and
// reads nothing itself. New returns the writer of a format (text, json, md),
// refusing an unknown one with the list of Formats.
package diff
