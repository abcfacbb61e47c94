// Package schema validates loaded documents against the embedded JSON
// Schemas and turns every violation into a diagnostic at the exact key or
// value, with a message a person can act on ("unknown field "ownr" (did you
// mean "owner"?)") rather than a JSON pointer.
//
// Schemas are compiled lazily, once per kind a run actually meets: compiling
// them all costs more than validating a small AIMS. A document is first
// checked against a mirror of its compiled schema (fast.go) that answers
// only when it is sure, exactly as the library would; one it accepts
// needs nothing more, and every other document goes through the library,
// which explains each problem. It checks the shape of each document alone;
// references between documents are package link's.
package schema
