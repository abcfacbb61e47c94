package load

import (
	"bytes"
	"io/fs"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/aims-dev/aims/pkg/diag"
)

// Which files are AIMS documents. An AIMS often shares its folder with other
// tools (.pre-commit-config.yaml, .gitlab-ci.yml, mkdocs.yml, Helm values),
// so a file is a document only when it says so or sits where the manifest
// says documents live:
//
//  1. Hidden files and folders, node_modules and vendor are never read.
//  2. aims.yaml at the root is always a document.
//  3. A file under documents.exclude (default: evidence/) is never a
//     document; one that looks like an AIMS document is reported (L005).
//  4. A YAML document that declares apiVersion: aims/... is a document
//     wherever it is, so a typo in its kind is still an error.
//  5. Under documents.include (default: nowhere) a YAML document without
//     apiVersion is a document too, and one without apiVersion and kind is
//     an error (L003).
//  6. Anywhere else, a YAML document without apiVersion is not read, unless
//     its kind is an AIMS kind: then it is reported as not checked (L005).
//
// Markdown is a document only when its front matter declares an aims
// apiVersion (READMEs and evidence write-ups are common).

// CodeNotChecked is the rule id of a file that looks like an AIMS document
// but is not read as one.
const CodeNotChecked = "AIMS-L005"

// place is where a file sits, as far as discovery is concerned.
type place int

const (
	placeOther    place = iota // neither included nor excluded
	placeIncluded              // manifest, or under documents.include
	placeExcluded              // under documents.exclude
)

// hidden reports a path component that starts with "." or is a dependency
// tree: never AIMS documents.
func hidden(p string) bool {
	for part := range strings.SplitSeq(p, "/") {
		if strings.HasPrefix(part, ".") && part != "." || part == "node_modules" || part == "vendor" {
			return true
		}
	}
	return false
}

// discovery holds the manifest's documents section.
type discovery struct {
	include, exclude []string
	kinds            []string // AIMS kinds, to recognise undeclared documents
}

func (d discovery) place(p string) place {
	switch {
	case p == ManifestFile:
		return placeIncluded
	case Excluded(p, d.exclude):
		return placeExcluded
	case Excluded(p, d.include):
		return placeIncluded
	}
	return placeOther
}

// manifestDocuments reads documents.include and documents.exclude from
// aims.yaml without the full pipeline: which files are documents must be
// known before parsing them. It reads with the run's limits; an aims.yaml
// that is too large or broken is diagnosed when it is loaded.
func manifestDocuments(fsys fs.FS, lim Limits) (include, exclude []string) {
	exclude = DefaultExclude
	f, err := readFile(fsys, ManifestFile, lim)
	if err != nil || f.done {
		return nil, exclude
	}
	var m struct {
		Documents struct {
			Include []string `yaml:"include"`
			Exclude []string `yaml:"exclude"`
		} `yaml:"documents"`
	}
	if yaml.Unmarshal(f.data, &m) != nil {
		return nil, exclude
	}
	if m.Documents.Exclude != nil {
		exclude = m.Documents.Exclude
	}
	return m.Documents.Include, exclude
}

// declaresAIMS finds an aims apiVersion in a file's text, so a syntax error
// in an AIMS document outside documents.include is still reported while a
// broken file of another tool is left to that tool.
var declaresAIMS = regexp.MustCompile(`(?m)^\s*-?\s*["']?apiVersion["']?\s*:\s*["']?aims/`)

// kindLine finds a kind key, without which a file outside documents.include
// that declares no aims apiVersion cannot be reported either.
var kindLine = regexp.MustCompile(`(?m)^\s*-?\s*["']?kind["']?\s*:`)

// worthParsing skips the YAML parse of files that cannot be documents nor
// look like one (large data files under evidence/, other tools' YAML); nil
// means always parse.
func (d discovery) worthParsing(p string) func([]byte) bool {
	if d.place(p) == placeIncluded {
		return nil
	}
	return func(data []byte) bool { return declares(data) || hasKind(data) }
}

// declares and hasKind look for the literal key before running the
// regular expression, which otherwise backtracks through every line of a
// large data file that names neither (most files under evidence/): 4 % of
// a 10,000-document check.
func declares(data []byte) bool {
	return bytes.Contains(data, []byte("apiVersion")) && declaresAIMS.Match(data)
}

func hasKind(data []byte) bool { return bytes.Contains(data, []byte("kind")) && kindLine.Match(data) }

// undeclared is a YAML document without apiVersion, kept until its file's
// place decides what it is.
type undeclared struct {
	doc   *Document
	diags diag.List
}

// resolve turns one file's parse into documents and diagnostics by where the
// file sits.
func (d discovery) resolve(p string, r fileResult) fileResult {
	switch d.place(p) {
	case placeIncluded:
		for _, u := range r.undeclared {
			if u.doc.Kind == "" {
				r.diags.Add(u.doc.start, diag.Error, CodeNotAIMS,
					"not an AIMS document: no apiVersion or kind (add them, or exclude this path under documents.exclude in %s)", ManifestFile)
				continue
			}
			r.docs = append(r.docs, u.doc)
			r.diags = append(r.diags, u.diags...)
		}
	case placeExcluded:
		var out fileResult
		for _, doc := range r.docs {
			out.diags.Add(doc.start, diag.Warning, CodeNotChecked,
				"looks like an AIMS document (kind %s) but is not checked: %s matches documents.exclude in %s", doc.Kind, p, ManifestFile)
		}
		d.reportUndeclared(&out, r.undeclared, "it has no apiVersion and "+p+" matches documents.exclude in "+ManifestFile)
		r = out
	default:
		if !r.declares {
			r.docs, r.diags = nil, nil
		}
		d.reportUndeclared(&r, r.undeclared, "it has no apiVersion: "+APIPrefix+"v1 and "+p+" is outside documents.include in "+ManifestFile)
	}
	r.undeclared = nil
	return r
}

func (d discovery) reportUndeclared(r *fileResult, us []undeclared, why string) {
	for _, u := range us {
		if slices.Contains(d.kinds, u.doc.Kind) {
			r.diags.Add(u.doc.start, diag.Warning, CodeNotChecked, "looks like an AIMS document (kind %s) but is not checked: %s", u.doc.Kind, why)
		}
	}
}
