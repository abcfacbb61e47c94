// Package file writes the files aims produces (a report, exported schemas)
// without ever leaving a half-written file or replacing something that is
// not a plain file: a write goes to a temporary file in the same folder and is
// renamed into place.
//
// It writes only where it is told to and reads nothing else; what to write is
// the caller's business.
package file
