// Package vcs answers provenance questions about an AIMS kept in git: who last
// changed each file and when, what the files looked like at a revision, and
// whether the working tree has uncommitted changes. It reads the repository
// with go-git, so the git binary is not needed at run time; trees and
// commits, which a history walk reads by the ten thousand, come straight
// from the pack files (pack.go), and only what no pack holds goes through
// go-git's object storage.
//
// Histories must match what `git log -- <path>` prints, merges included,
// because auditors will check our answers against git. Provenance computes
// them for every file in a single walk of history; one log query per file is
// orders of magnitude slower on real repositories.
//
// Not supported, because an AIMS repository has no use for them: bare
// repositories, SHA-256 object format, replace refs and grafts (shallow
// boundaries are honoured), and git's glob pathspecs (paths are literal).
//
// A revision is read with the working tree's limits: a blob larger than
// load.MaxFileBytes is refused from its object header without being
// inflated. A failure to read an object is an error naming it, never "not
// found", and revisions git would refuse (a path, a peel to a non-commit, an
// ambiguous short hash) are refused.
//
// The package must not write to the repository or the working tree, must not
// follow symbolic links stored in commits, and must not decide what a history
// means (stale evidence, missing reviews): that belongs to the analysis
// packages, which receive the results as plain values.
package vcs
