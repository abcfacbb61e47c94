// Package load finds and parses the documents of an AIMS: YAML files (several
// documents per file allowed) and Markdown files with YAML front matter.
// Which files are documents, when the AIMS shares its folder with other
// tools, is decided in discover.go.
//
// It turns the events of yaml.v3's parser (its port of libyaml, vendored in
// internal/yamlscan) into plain JSON-model values (map[string]any, []any,
// string, int64, float64, bool, nil), resolving scalars exactly as yaml.v3
// would (resolve.go) without building its node trees, and keeps the
// position of every key and value under its JSON pointer, so later stages
// can point at the exact line and column of a problem. Dates stay strings:
// yaml.v3 would make them time.Time, which JSON Schema cannot validate.
// The node path it replaced is kept in the tests, which hold the two to the
// same results.
//
// It reads only through an fs.FS (a directory or a git revision), never
// follows a symlink, and bounds what hostile input can cost: bytes and values
// per file and per run, nesting depth, alias expansion (see limits.go). A
// file large enough to exceed the value limit is scanned before any value
// is built, so it is refused for the price of reading it; the same
// scan places syntax errors at the offending token, as yamllint and editors
// do. With a cache (Options.Cache) a file whose bytes were parsed before is
// not parsed again, and one unchanged on disk is not even read (cache.go).
// Files are parsed by workers while the walk lists the rest, and each
// document is handed to Options.Each as soon as its file is parsed, so a
// caller can check it there and cut its values down to the fields it
// still needs (Document.Project): a run then never holds every document's
// values at once.
// It does not validate schemas or resolve
// references: that is package schema and package link.
package load
