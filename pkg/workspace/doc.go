// Package workspace opens an AIMS and runs the checking pipeline over it:
// load -> schema -> decode -> link. It finds the AIMS root (the folder holding
// aims.yaml, at or above the start folder, else the only one below it) and
// reads either the working tree, through an os.Root that no
// symlink can escape, or any fs.FS such as a git revision.
//
// A failure to read the storage (a corrupt git object) is an error, never a
// diagnostic: every read goes through a guard, and ReadErr reports what the
// stages that can only answer yes or no (does this file exist?) met.
//
// Each stage is a plain function in its own package; this package only wires
// them together so commands and tests run the same pipeline (schema and
// decode run per document as the loader parses it; with Lean, a document's
// values are then cut down to what link and gap read later), and answers
// questions about the workspace itself: where it was read from (Source,
// Label), document control from git, which findings lie in given files. A
// Resident keeps one working tree in memory between the runs of a
// long-lived process (aims server), told by file events what changed, and
// answers each run as a run without it would. It prints nothing and never
// exits.
package workspace
