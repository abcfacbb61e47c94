package workspace

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/catalog"
	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/gap"
	"github.com/aims-dev/aims/pkg/link"
	"github.com/aims-dev/aims/pkg/load"
	"github.com/aims-dev/aims/pkg/schema"
)

// ErrNoRoot means no aims.yaml was found.
var ErrNoRoot = errors.New("no AIMS found")

// FindRoot walks up from dir to the nearest folder holding aims.yaml.
func FindRoot(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; d = filepath.Dir(d) {
		if st, err := os.Stat(filepath.Join(d, load.ManifestFile)); err == nil && st.Mode().IsRegular() {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("%w: no %s in %s or any parent folder (run `aims init` to create one)", ErrNoRoot, load.ManifestFile, abs)
		}
	}
}

// Workspace is a loaded and checked AIMS.
type Workspace struct {
	Root    string // absolute path of the AIMS root on disk ("" for a pure fs.FS)
	FS      fs.FS
	Set     *load.Set
	Model   *aims.Model
	Catalog *catalog.Catalog
	Tiers   map[string]aims.Tier
	// Diags holds every problem found by load, schema and link, sorted.
	Diags diag.List
	// Source says where the AIMS was read from (set by OpenAt).
	Source *Source
}

// FileExists reports whether a regular file exists at p (slash path relative
// to the AIMS root) without following symlinks.
func (w *Workspace) FileExists(p string) bool {
	p = path.Clean(strings.TrimPrefix(p, "./"))
	if !fs.ValidPath(p) {
		return false
	}
	st, err := fs.Lstat(w.FS, p)
	return err == nil && st.Mode().IsRegular()
}

// OnlyFiles keeps the findings in the named files (absolute paths, as
// pre-commit passes them, made absolute) and the findings about the AIMS as
// a whole.
func (w *Workspace) OnlyFiles(l diag.List, files []string) diag.List {
	keep := map[string]bool{}
	for _, f := range files {
		if rel, err := filepath.Rel(w.Root, f); err == nil {
			keep[filepath.ToSlash(rel)] = true
		}
	}
	var out diag.List
	for _, d := range l {
		if !d.Pos.IsValid() || keep[d.Pos.File] {
			out = append(out, d)
		}
	}
	return out
}

// Close releases the git repository, if one was opened.
func (w *Workspace) Close() error { return w.Source.Close() }

// OpenDir loads the AIMS rooted at dir.
func OpenDir(dir string) (*Workspace, error) {
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("open AIMS: %w", err)
	}
	w, err := Open(r.FS())
	if err != nil {
		return nil, err
	}
	w.Root = dir
	return w, nil
}

// Open loads the AIMS at the root of fsys and runs every checking stage.
func Open(fsys fs.FS) (*Workspace, error) {
	if _, err := fs.Stat(fsys, load.ManifestFile); err != nil {
		return nil, fmt.Errorf("%w: no %s at the root", ErrNoRoot, load.ManifestFile)
	}
	set, err := load.Load(fsys, load.Options{})
	if err != nil {
		return nil, err
	}
	w := &Workspace{FS: fsys, Set: set, Catalog: catalog.ISO42001()}
	w.Diags = append(w.Diags, set.Diags...)

	for _, d := range set.Docs {
		w.Diags = append(w.Diags, link.NormalizeIDs(d)...)
	}
	v, err := schema.New()
	if err != nil {
		return nil, err
	}
	valid, invalid, diags, err := validateAll(v, set.Docs)
	if err != nil {
		return nil, err
	}
	w.Diags = append(w.Diags, diags...)
	w.Model = aims.Build(valid)
	w.Model.Invalid = invalid
	w.Diags = append(w.Diags, readResults(v, fsys, w.Model)...)
	w.Tiers = Tiers(w.Model.Manifest)
	names := slices.Sorted(maps.Keys(w.Tiers))
	// References are checked over all documents, valid or not: an id in a
	// document with a schema error still exists, and reporting every
	// reference to it as unknown would bury the real problem.
	ldiags := link.Check(set.Docs, fsys, w.Catalog, names)
	w.Diags = append(w.Diags, ldiags...)
	w.Diags.Sort()
	return w, nil
}

// validateAll validates documents in parallel and decodes those without
// schema errors, in load order.
func validateAll(v *schema.Validator, docs []*load.Document) ([]aims.Doc, []*load.Document, diag.List, error) {
	results := make([]diag.List, len(docs))
	typed := make([]aims.Doc, len(docs))
	errs := make([]error, len(docs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(runtime.GOMAXPROCS(0), max(len(docs), 1)) {
		wg.Go(func() {
			for i := range next {
				results[i], errs[i] = v.Validate(docs[i])
				if errs[i] == nil && results[i].Max() < diag.Error {
					typed[i], errs[i] = aims.DecodeDocument(docs[i])
				}
			}
		})
	}
	for i := range docs {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, nil, nil, err
	}
	var valid []aims.Doc
	var invalid []*load.Document
	var all diag.List
	for i, d := range docs {
		all = append(all, results[i]...)
		if typed[i] != nil {
			valid = append(valid, typed[i])
		} else {
			invalid = append(invalid, d)
		}
	}
	return valid, invalid, all, nil
}

// Tiers returns the risk tiers in force.
func Tiers(m *aims.Manifest) map[string]aims.Tier {
	if m != nil && len(m.Settings.Tiers) > 0 {
		return m.Settings.Tiers
	}
	return gap.DefaultTiers()
}

// resultTypes are the evidence types whose files are read as aims-result/v1.
var resultTypes = map[string]bool{"bias_test": true, "drift_report": true}

// readResults parses the CI result files that evidence links to, so the gap
// rules can compare measured values with each system's thresholds. A result
// file that is not in the aims-result/v1 format is an error at that file.
func readResults(v *schema.Validator, fsys fs.FS, m *aims.Model) diag.List {
	var out diag.List
	for _, e := range m.Evidence {
		if !resultTypes[e.Type] || e.Path == "" {
			continue
		}
		switch strings.ToLower(path.Ext(e.Path)) {
		case ".json", ".yaml", ".yml":
		default:
			continue // a PDF or Markdown report: evidence, but not machine-readable
		}
		p := path.Clean(e.Path)
		if !fs.ValidPath(p) {
			continue // link reports paths that leave the root
		}
		if _, err := fs.Stat(fsys, p); err != nil {
			continue // link reports missing files
		}
		doc, diags := load.ReadData(fsys, p)
		out = append(out, diags...)
		if doc == nil {
			continue
		}
		sd, err := v.ValidateValue("result.schema.json", doc, doc.Value)
		if err != nil {
			out.Add(doc.Start(), diag.Error, schema.CodeValue, "%v", err)
			continue
		}
		out = append(out, sd...)
		if sd.Max() >= diag.Error {
			continue
		}
		r, err := aims.DecodeResult(doc)
		if err != nil {
			out.Add(doc.Start(), diag.Error, schema.CodeValue, "result file: %v", err)
			continue
		}
		m.Results[e.ID] = r
	}
	return out
}
