package output

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/registry"
)

// Rule describes a rule for formats that carry rule metadata (SARIF).
type Rule struct {
	ID          string
	Severity    diag.Severity
	Refs        []string
	Title       string // short, e.g. "Unknown field"
	Description string // what the rule finds
	Fix         string // how to fix a finding, Markdown; optional
}

// RulesDoc is where every rule is described, by id (docs/rules.md).
const RulesDoc = "https://github.com/aims-dev/aims/blob/main/docs/rules.md"

// Options shape paths and metadata.
type Options struct {
	// Prefix is joined before every file path, so paths are relative to
	// where the user (or CI) ran the command rather than to the AIMS root.
	Prefix string
	// RepoPrefix is the AIMS root relative to the root of its git
	// repository ("." at the root; "" outside a repository, when Prefix is
	// used instead). CI systems place findings by repository path: SARIF,
	// GitLab Code Quality, JUnit and GitHub annotations use it.
	RepoPrefix string
	// Locate names the document and field (JSON pointer) at a position, so
	// findings keep their identity when lines move (SARIF fingerprints,
	// GitLab fingerprints, JUnit case names). Optional.
	Locate func(diag.Pos) (doc, field string)
	// Quiet leaves out the closing summary line of the text and github
	// formats: findings only.
	Quiet bool
	// Summary receives a Markdown summary of every finding, for formats that
	// have one (github: $GITHUB_STEP_SUMMARY). Optional.
	Summary io.Writer
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
	"gitlab": newGitLab,
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

// repoFile is p's path from the repository root, for CI systems.
func (o Options) repoFile(p diag.Pos) string {
	if o.RepoPrefix == "" {
		return o.file(p)
	}
	if p.File == "" {
		return ""
	}
	return path.Join(o.RepoPrefix, p.File)
}

// identity names a finding independently of line numbers: its rule, the
// document id and field it is about (else its file), and its message with
// dates, ages and percentages masked, so a finding does not become new as
// time passes, while two problems with one field (or two clauses) stay apart.
func (o Options) identity(d diag.Diagnostic) string {
	where := d.Pos.File
	if o.Locate != nil && d.Pos.IsValid() {
		if doc, field := o.Locate(d.Pos); doc != "" {
			where = doc + "#" + field
		}
	}
	return strings.Join([]string{d.Code, where, volatile.ReplaceAllString(d.Msg, "#")}, "\x00")
}

var volatile = regexp.MustCompile(`\d{4}-\d{2}-\d{2}|\d+ (?:days?|months?|years?)\b|\d+(?:\.\d+)?%`)

// fingerprint is a stable hash of identity, as CI systems want it.
func (o Options) fingerprint(d diag.Diagnostic) string {
	sum := sha256.Sum256([]byte(o.identity(d)))
	return hex.EncodeToString(sum[:16])
}

// repoDiag is d with its paths from the repository root.
func (o Options) repoDiag(d diag.Diagnostic) diag.Diagnostic {
	d.Pos.File = o.repoFile(d.Pos)
	d.Related = slices.Clone(d.Related) // the caller's list stays as it was
	for i, r := range d.Related {
		d.Related[i].File = o.repoFile(r)
	}
	return d
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
