// Package schemas embeds the JSON Schemas (draft 2020-12) of every aims/v1
// document kind, so validation needs no network and `aims schema --out`
// can write them for editors.
//
// The files are the data model's source of truth. They use relative $refs
// (common.schema.json#/$defs/...), which resolve both in memory and for an
// editor reading exported files from disk.
package schemas

import "embed"

// FS holds *.schema.json.
//
//go:embed *.schema.json
var FS embed.FS
