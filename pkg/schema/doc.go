// Package schema validates loaded documents against the embedded JSON
// Schemas and turns every violation into a diagnostic at the exact key or
// value, with a message a person can act on ("unknown field "ownr" (did you
// mean "owner"?)") rather than a JSON pointer.
//
// Schemas are compiled lazily, once per kind a run actually meets: compiling
// them all costs more than validating a small AIMS. It checks the shape of
// each document alone; references between documents are package link's.
package schema
