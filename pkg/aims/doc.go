// Package aims holds the domain types of an AI management system: one Go
// type per document kind, decoded from validated documents, and Model, the
// whole AIMS with lookups by id.
//
// Types mirror schemas/*.schema.json field for field. This package does no
// I/O and no analysis; each typed document keeps its load.Document so later
// stages can point at the exact line of a field.
package aims
