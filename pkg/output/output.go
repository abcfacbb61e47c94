package output

import (
	"fmt"
	"io"
	"path"

	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/registry"
)

// Rule describes a rule for formats that carry rule metadata (SARIF).
type Rule struct {
	ID          string
	Severity    diag.Severity
	Refs        []string
	Description string
}

// Options shape paths and metadata.
type Options struct {
	// Prefix is joined before every file path, so paths are relative to
	// where the user (or CI) ran the command rather than to the AIMS root.
	Prefix string
	// Rules by id, for formats that describe the rules they report.
	Rules map[string]Rule
	// Tool version for formats that record it.
	Version string
}

// Summary closes an output.
type Summary struct {
	Documents int
	Errors    int
	Warnings  int
	Infos     int
}

// Summarize counts findings by severity.
func Summarize(l diag.List, documents int) Summary {
	return Summary{Documents: documents, Errors: l.Count(diag.Error), Warnings: l.Count(diag.Warning), Infos: l.Count(diag.Info)}
}

// Writer is an output format. Write is called once per finding, in order;
// Flush once at the end.
type Writer interface {
	Write(d diag.Diagnostic) error
	Flush(s Summary) error
}

var formats = map[string]func(io.Writer, Options) Writer{
	"text":   newText,
	"json":   newJSON,
	"sarif":  newSARIF,
	"junit":  newJUnit,
	"github": newGitHub,
}

// findings is the registry of finding formats: a new format is a row in
// formats.
var findings = registry.FromMap("format", formats)

// Formats lists the valid format names for findings.
func Formats() []string { return findings.Names() }

// New returns the findings writer for format, or an error listing the valid
// formats.
func New(format string, w io.Writer, opts Options) (Writer, error) {
	f, err := findings.Get(format)
	if err != nil {
		return nil, err
	}
	return f(w, opts), nil
}

// WriteAll writes l and flushes.
func WriteAll(w Writer, l diag.List, documents int) error {
	for _, d := range l {
		if err := w.Write(d); err != nil {
			return err
		}
	}
	return w.Flush(Summarize(l, documents))
}

func (o Options) file(p diag.Pos) string {
	if p.File == "" {
		return ""
	}
	if o.Prefix == "" || o.Prefix == "." {
		return p.File
	}
	return path.Join(o.Prefix, p.File)
}

func (o Options) pos(p diag.Pos) diag.Pos {
	p.File = o.file(p)
	return p
}

// diag applies the path prefix to a diagnostic and its related positions.
func (o Options) diag(d diag.Diagnostic) diag.Diagnostic {
	d.Pos = o.pos(d.Pos)
	if len(d.Related) > 0 {
		rel := make([]diag.Pos, len(d.Related))
		for i, r := range d.Related {
			rel[i] = o.pos(r)
		}
		d.Related = rel
	}
	return d
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
