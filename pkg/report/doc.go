// Package report renders the conformance report an auditor reads: the gap
// analysis, Statement of Applicability, risk register, AI system inventory,
// evidence index, audits and findings of an AIMS, as GitHub-flavoured
// Markdown or as one self-contained HTML file.
//
// FormatFor picks the format (--format, else the output file's extension,
// else md) from the registry of Formats and refuses an unknown one; SourceOf
// and DocumentsOf turn what the workspace knows from git into the cover and
// document control sections.
//
// Render builds a view model in Go (sorted, every count and string
// precomputed) and hands it to templates that only lay it out, so a user can
// restyle the report with --template-dir without touching logic.
//
// The report displays; it does not judge. Every verdict it shows (status,
// freshness, threshold and bands, above threshold, accepted, overdue,
// missing review inputs, tier requirements met) is read from gap.Result,
// and a test checks the two agree on the shipped examples. A new verdict
// belongs in gap first.
//
// It must not read files, open repositories or call time.Now: everything
// comes in through Input, so the same input gives the same bytes. It must not
// trust the AIMS: every YAML string is escaped, user Markdown is rendered
// without raw HTML and with links only to http(s), mailto and relative
// destinations, and the HTML loads nothing from the network.
package report
