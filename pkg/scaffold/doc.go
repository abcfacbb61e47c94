// Package scaffold plans and writes a new AIMS (aims init): the template
// files with their editor schema hints resolved, plus the exported JSON
// Schemas, which ExportSchemas also writes on their own (aims schema --out).
//
// Writing is all or nothing: nothing is written when any file exists, and
// a failure part-way (a full disk) removes what was written, so a rerun
// starts clean. It never overwrites or deletes a file it did not create.
package scaffold
