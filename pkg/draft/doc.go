// Package draft writes new AIMS documents from the templates in
// templates/new: one per kind, with the schema modeline, TODOs where a person
// must decide, and references filled with ids that exist in the AIMS at hand
// so the draft validates as soon as it is written.
//
// It renders bytes and chooses a path; it never touches the disk. Writing,
// and refusing to overwrite, is the caller's job.
package draft
