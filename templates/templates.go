// Package templates embeds the files `aims init` writes and the report
// templates `aims report` renders.
//
// Scaffold files may contain $SCHEMAS, replaced on writing by the path from
// the file to the exported JSON Schemas, so editors validate as people type.
package templates

import "embed"

// Init is the scaffold of a new AIMS, rooted at init/.
//
//go:embed all:init
var Init embed.FS

// Report holds the templates `aims report` renders, rooted at report/:
// report.md.tmpl, report.html.tmpl and style.css (inlined into the HTML).
// --template-dir overrides any of them by file name.
//
//go:embed all:report
var Report embed.FS

// New holds one template per document kind for `aims new`, rooted at new/,
// named by the kind in lower case (policy.md for policies). They are Go
// text/templates; see pkg/draft for the fields they use.
//
//go:embed new
var New embed.FS
