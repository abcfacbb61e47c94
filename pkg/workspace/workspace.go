package workspace

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/cache"
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

	approvalCache
	// contents holds, for each approved document whose values were
	// projected (Lean inside git), the digest of what its approval covers.
	contents map[*load.Document][32]byte
	guard    *guardFS
	dirs     *dirFS // the folder read, when it is one; closed by Close
	linked   func() error
	config
}

// ReadErr is the first failure to read the storage (a corrupt git object)
// met since the AIMS was opened, by any stage including the gap analysis's
// file and history lookups, which can only answer yes or no. A command must
// check it after analysing: results computed around a read failure are not
// findings but guesses.
func (w *Workspace) ReadErr() error {
	if w.guard != nil {
		if err := w.guard.Err(); err != nil {
			return err
		}
	}
	return w.Source.historyErr()
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

// FileDigest streams the regular file at p (slash path relative to the AIMS
// root) through the workspace's fs.FS, so it reads the working tree or, with
// --rev, the blob at that revision: its size, SHA-256 and whether it holds
// anything but white space.
func (w *Workspace) FileDigest(p string) (gap.File, error) {
	p = path.Clean(strings.TrimPrefix(p, "./"))
	if !fs.ValidPath(p) {
		return gap.File{}, fmt.Errorf("%s: not a path inside the AIMS", p)
	}
	if f, ok := w.res.digest(w.FS, p); ok {
		return f, nil
	}
	sk, cached := w.digestKey(p)
	if cached {
		if f, ok := w.cachedDigest(sk); ok {
			w.res.keepDigest(w.FS, p, f)
			return f, nil
		}
	}
	f, err := w.FS.Open(p)
	if err != nil {
		return gap.File{}, err
	}
	defer f.Close()
	h := sha256.New()
	ink := inked{blank: true}
	// One buffer per worker, not per file: io.Copy from an *os.File
	// allocates 32 KB each time (its WriteTo falls back to a fresh buffer),
	// which was 58 % of all a 10,000-document check allocated. The
	// wrapper hides WriteTo so CopyBuffer uses the pooled buffer.
	buf := digestBufs.Get().(*[]byte)
	defer digestBufs.Put(buf)
	n, err := io.CopyBuffer(io.MultiWriter(h, &ink), struct{ io.Reader }{f}, *buf)
	if err != nil {
		return gap.File{}, fmt.Errorf("read %s: %w", p, err)
	}
	file := gap.File{Size: n, SHA256: hex.EncodeToString(h.Sum(nil)), Blank: ink.blank, Ink: ink.n}
	if cached {
		w.putDigest(sk, file)
		w.res.keepDigest(w.FS, p, file)
	}
	return file, nil
}

var digestBufs = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// inked records whether anything but white space was written to it, and
// counts its letters and digits up to gap.MinInk: all the evidence check
// needs to tell a real record from a placeholder.
type inked struct {
	blank bool // start true
	n     int
}

func (k *inked) Write(b []byte) (int, error) {
	if k.blank && len(bytes.TrimSpace(b)) > 0 {
		k.blank = false
	}
	for _, c := range b {
		if k.n >= gap.MinInk {
			break
		}
		if c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80 {
			k.n++
		}
	}
	return len(b), nil
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

// Close releases the git repository, if one was opened, and the folders
// held open, and writes what the analysis added to the cache (evidence
// digests).
func (w *Workspace) Close() error {
	if w.linked != nil {
		w.linked() // the reference checks read the folders closed here
	}
	if w.res == nil {
		w.cache.Flush() // a Resident's is flushed when it is idle
	}
	err := w.Source.Close()
	if w.dirs != nil {
		w.dirs.Close()
	}
	return err
}

// OpenDir loads the AIMS rooted at dir.
func OpenDir(dir string, opts ...Option) (*Workspace, error) {
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("open AIMS: %w", err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("open AIMS: %w", err)
	}
	d := newDirFS(r)
	var fsys fs.FS = d
	var c config
	for _, o := range opts {
		o(&c)
	}
	if c.res != nil {
		fsys = &residentFS{r: c.res, d: d}
	}
	w, err := Open(fsys, append(opts, onDisk(abs))...)
	if err != nil {
		d.Close()
		return nil, err
	}
	w.Root, w.dirs = dir, d
	return w, nil
}

// Open loads the AIMS at the root of fsys and runs every checking stage.
func Open(fsys fs.FS, opts ...Option) (*Workspace, error) {
	c := config{start: time.Now()}
	for _, o := range opts {
		o(&c)
	}
	if _, err := fs.Stat(fsys, load.ManifestFile); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: no %s at the root", ErrNoRoot, load.ManifestFile)
	} else if err != nil {
		return nil, fmt.Errorf("read %s: %w", load.ManifestFile, err)
	}
	guard := &guardFS{fsys: fsys, direct: c.res != nil}
	fsys = guard
	v, err := schema.New()
	if err != nil {
		return nil, err
	}
	var lean map[string]*load.Projection
	if c.lean {
		lean = projections(v.Kinds())
	}
	var mu sync.Mutex
	checked := map[*load.Document]*docCheck{}
	each := func(d *load.Document) {
		if c.res != nil {
			// Loaded by the run before, unchanged since: checkDoc has
			// already cut its values down.
			if dc := c.res.checked(d); dc != nil {
				mu.Lock()
				checked[d] = dc
				mu.Unlock()
				return
			}
		}
		dc := checkDoc(v, d, c.cache, lean, c.versioned)
		mu.Lock()
		checked[d] = dc
		mu.Unlock()
	}
	stopPrefetch := func() {}
	if d, ok := guard.fsys.(*dirFS); ok {
		stopPrefetch = d.startPrefetch(load.SkipDir)
	}
	var memo *load.Memo
	if c.res != nil {
		memo = c.res.memo
	}
	set, err := load.Load(fsys, load.Options{Kinds: v.Kinds(), Cache: c.cache, Memo: memo, Disk: c.disk, Start: c.start, Limits: c.limits, Each: each, Parsed: c.parsed, Found: c.found})
	stopPrefetch()
	if err != nil {
		return nil, err
	}
	w := &Workspace{FS: fsys, Set: set, Catalog: catalog.ISO42001(), guard: guard, config: c}
	w.Diags = append(w.Diags, set.Diags...)
	valid, invalid, diags, err := collect(set.Docs, checked, &w.contents)
	if err != nil {
		return nil, err
	}
	w.Diags = append(w.Diags, diags...)
	w.Model = aims.Build(valid)
	w.Model.Invalid = invalid
	w.Tiers = Tiers(w.Model.Manifest)
	names := slices.Sorted(maps.Keys(w.Tiers))
	// References are checked over all documents, valid or not: an id in a
	// document with a schema error still exists, and reporting every
	// reference to it as unknown would bury the real problem. They are
	// checked on a core of their own while this run's cache entries are
	// written and the result files read (neither changes what link reads):
	// a run after the documents are loaded was one core's work alone.
	var ldiags diag.List
	linked := make(chan struct{})
	go func() {
		defer close(linked)
		var memo *link.Memo
		if c.res != nil {
			memo = c.res.links
		}
		ldiags = memo.Check(set.Docs, fsys, w.Catalog, names)
	}()
	if c.res == nil {
		c.cache.Flush() // what this run parsed and validated, for the next
	}
	w.Diags = append(w.Diags, w.readResults(v, fsys)...)
	if c.res != nil {
		c.res.checks = checked
	}
	w.linked = sync.OnceValue(func() error {
		<-linked
		if manifestBroken(set.Diags) {
			// The manifest's own error says why there is no Manifest; a
			// second, position-less one would only bury it.
			ldiags = slices.DeleteFunc(ldiags, func(d diag.Diagnostic) bool {
				return d.Code == link.CodeManifest && d.Pos.Line == 0
			})
		}
		w.Diags = append(w.Diags, ldiags...)
		if err := guard.Err(); err != nil {
			return err
		}
		w.Diags = overridden(w.Diags, w.Model.Manifest)
		w.Diags.Sort()
		return nil
	})
	if !c.later {
		if err := w.linked(); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// Linked waits for the references to be checked, when the AIMS was opened
// with LinkLater, and adds their findings to Diags; an error is a failure
// to read the storage met meanwhile. Without LinkLater it returns at once.
// Calls after the first return the first's answer.
func (w *Workspace) Linked() error { return w.linked() }

// overridden applies aims.yaml's rule overrides to the findings of the
// stages before the analysis, for the rules that allow it (the YAML
// warnings, a document that is not checked): gap validates every override
// and applies it to its own rules, and lists them all with their reasons.
func overridden(l diag.List, m *aims.Manifest) diag.List {
	if m == nil || len(m.Rules) == 0 {
		return l
	}
	out := l[:0]
	for _, d := range l {
		if o, ok := m.Rules[d.Code]; ok {
			r, known := gap.LookupRule(d.Code)
			sev, err := diag.ParseSeverity(o.Severity)
			if known && r.Configurable && err == nil {
				if sev == diag.Off {
					continue
				}
				d.Severity = sev
			}
		}
		out = append(out, d)
	}
	return out
}

// manifestBroken reports whether loading aims.yaml failed with an error.
func manifestBroken(l diag.List) bool {
	return slices.ContainsFunc(l, func(d diag.Diagnostic) bool {
		return d.Pos.File == load.ManifestFile && d.Severity == diag.Error
	})
}

// docCheck is what is derived from one document alone: its ids made
// text (link.NormalizeIDs), its schema diagnostics and, when it has no
// schema error, its typed struct.
type docCheck struct {
	normalized, schema diag.List
	typed              aims.Doc
	err                error
	content            *[32]byte // contentDigest, kept when the values were projected inside git
}

// checkDoc checks one document as soon as it is parsed (load.Options.Each),
// on the worker that parsed it. With projections (lean), a valid
// document's values are then cut down to the fields that references and
// the analysis read later: what else a run needs of it is in its typed
// struct, and holding every document's values was a third of what a run
// of 10,000 documents held.
func checkDoc(v *schema.Validator, d *load.Document, store *cache.Store, lean map[string]*load.Projection, versioned bool) *docCheck {
	dc := &docCheck{normalized: link.NormalizeIDs(d)}
	dc.schema, dc.err = validate(v, d, store)
	if dc.err != nil || dc.schema.Max() >= diag.Error {
		return dc
	}
	dc.typed, dc.err = aims.DecodeDocument(d)
	if p := lean[d.Kind]; p != nil && dc.err == nil {
		if versioned && approved(d) {
			c := cachedContentDigest(d, store)
			dc.content = &c
		}
		d.Project(p)
	}
	return dc
}

// noFields keeps none of a document's values.
var noFields = load.NewProjection()

// projections are, per kind, the fields link and gap read from documents'
// values after checkDoc (link.Fields, gap.Fields).
func projections(kinds []string) map[string]*load.Projection {
	m := make(map[string]*load.Projection, len(kinds))
	for _, k := range kinds {
		m[k] = load.NewProjection(append(link.Fields(k), gap.Fields(k)...)...)
	}
	return m
}

// collect gathers the checks of the documents in load order: the
// normalisation warnings first, then the schema diagnostics, and the typed
// structs of the valid ones; it adds the approval digests kept to contents.
func collect(docs []*load.Document, checked map[*load.Document]*docCheck, contents *map[*load.Document][32]byte) ([]aims.Doc, []*load.Document, diag.List, error) {
	var valid []aims.Doc
	var invalid []*load.Document
	var normalized, schemaDiags diag.List
	var errs []error
	for _, d := range docs {
		dc := checked[d]
		if dc == nil {
			return nil, nil, nil, fmt.Errorf("internal error: %s was loaded but not checked", d.File)
		}
		normalized = append(normalized, dc.normalized...)
		schemaDiags = append(schemaDiags, dc.schema...)
		errs = append(errs, dc.err)
		if dc.content != nil {
			if *contents == nil {
				*contents = map[*load.Document][32]byte{}
			}
			(*contents)[d] = *dc.content
		}
		if dc.typed != nil {
			valid = append(valid, dc.typed)
		} else {
			invalid = append(invalid, d)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, nil, nil, err
	}
	return valid, invalid, append(normalized, schemaDiags...), nil
}

// Tiers returns the risk tiers in force.
func Tiers(m *aims.Manifest) map[string]aims.Tier {
	if m != nil && len(m.Settings.Tiers) > 0 {
		return m.Settings.Tiers
	}
	return gap.DefaultTiers()
}

// resultTypes are the evidence types whose files are read as aims-result/v1.
// A validation_report is read too when its file declares that format.
var resultTypes = map[string]bool{"bias_test": true, "drift_report": true}

// readResults parses the CI result files that evidence links to, so the gap
// rules can compare measured values with each system's thresholds. A result
// file that is not in the aims-result/v1 format is an error at that file.
func (w *Workspace) readResults(v *schema.Validator, fsys fs.FS) diag.List {
	m := w.Model
	var out diag.List
	read := map[cache.Key]resultRead{}
	for _, e := range m.Evidence {
		if !resultTypes[e.Type] && e.Type != "validation_report" || e.Path == "" {
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
			continue // link reports missing files; the guard, unreadable storage
		}
		var k cache.Key
		keyed := false
		if w.res != nil {
			// A Resident keeps what each unchanged file gave.
			if k, keyed = w.identityKey(p, []byte("result 1"), []byte(strconv.FormatBool(resultTypes[e.Type]))); keyed {
				if rr, ok := w.res.results[k]; ok {
					read[k] = rr
					out = append(out, rr.diags...)
					if rr.result != nil {
						m.Results[e.ID] = rr.result
					}
					continue
				}
			}
		}
		rr := w.readResult(v, fsys, p, resultTypes[e.Type])
		if keyed {
			read[k] = rr
		}
		out = append(out, rr.diags...)
		if rr.result != nil {
			m.Results[e.ID] = rr.result
		}
	}
	if w.res != nil {
		w.res.results = read
	}
	return out
}

// readResult reads the result file at p; a validation report (not a
// result type) counts only when it declares the format.
func (w *Workspace) readResult(v *schema.Validator, fsys fs.FS, p string, result bool) resultRead {
	var rr resultRead
	doc, diags := w.readData(fsys, p)
	if !result {
		// A validation report is read only when it says it is a
		// result (performance results imported from a model card);
		// any other JSON report is evidence, not a broken result.
		if doc == nil || doc.Value["format"] != "aims-result/v1" {
			return rr
		}
	}
	rr.diags = append(rr.diags, diags...)
	if doc == nil {
		return rr
	}
	sd, err := v.ValidateValue("result.schema.json", doc, doc.Value)
	if err != nil {
		rr.diags.Add(doc.Start(), diag.Error, schema.CodeValue, "%v", err)
		return rr
	}
	rr.diags = append(rr.diags, sd...)
	if sd.Max() >= diag.Error {
		return rr
	}
	r, err := aims.DecodeResult(doc)
	if err != nil {
		rr.diags.Add(doc.Start(), diag.Error, schema.CodeValue, "result file: %v", err)
		return rr
	}
	if w.lean {
		doc.Project(noFields) // the result is in r; its positions stay
	}
	rr.result = r
	return rr
}
