package workspace

import (
	"io/fs"
	"sync"
	"time"

	"github.com/aims-dev/aims/pkg/cache"
	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/gap"
	"github.com/aims-dev/aims/pkg/load"
	"github.com/aims-dev/aims/pkg/schema"
	"github.com/aims-dev/aims/schemas"
)

// Option changes how an AIMS is opened.
type Option func(*config)

type config struct {
	limits load.Limits // zero fields: the defaults
	cache  *cache.Store
	disk   string    // the absolute folder read, when it is one
	start  time.Time // when the run began
	lean   bool      // see Lean
	// versioned: read from git, whose document control compares
	// approved documents with their history (contentDigest).
	versioned bool
	parsed    func()    // see OnParse
	found     func(int) // see OnParse
	res       *Resident // the run is one of a Resident's (Resident.Open)
	later     bool      // see LinkLater
}

// LinkLater returns from Open before references are checked: Diags lacks
// their findings until Linked returns. For a caller that analyses the
// AIMS at once (check, answered by aims server), which can check
// references while the rules run (gap.Options.Prior).
func LinkLater() Option {
	return func(c *config) { c.later = true }
}

// OnParse calls parsed each time a file is parsed rather than taken from
// the cache, from the worker that parsed it, and found once the AIMS is
// listed, with the number of files where documents live
// (load.Options.Parsed and Found).
func OnParse(parsed func(), found func(files int)) Option {
	return func(c *config) { c.parsed, c.found = parsed, found }
}

// Lean lets a command that reads the AIMS only through the model, the
// diagnostics and the analysis (check, gaps, report, export) drop each
// valid document's values once it is checked, keeping only the fields
// that references and the analysis read afterwards (see checkDoc):
// Set.Docs then hold those fields only. Inside git, an approved
// document also keeps a digest of what its approval covers, which
// document control compares with the versions in its history.
func Lean() Option {
	return func(c *config) { c.lean = true }
}

// versioned says the AIMS is read from git (see OpenAt).
func versioned(c *config) { c.versioned = true }

// onDisk says the FS reads the folder dir, so files unchanged there since
// an earlier run need not be read (see cache.Identity).
func onDisk(dir string) Option {
	return func(c *config) { c.disk = dir }
}

// startedAt sets when the run began: tests run long after their files
// were written, so that their identities may be recorded.
func startedAt(t time.Time) Option {
	return func(c *config) { c.start = t }
}

// WithCache keeps each file's parse and each document's schema diagnostics
// in s (nil: no cache), so a run after an edit parses and validates only
// the files that changed. References, results and every AIMS-wide rule
// still run over all documents. Results are the same with or without it.
func WithCache(s *cache.Store) Option {
	return func(c *config) { c.cache = s }
}

// WithLimits replaces the load limits (zero fields keep their defaults):
// for the operator of a very large AIMS, never from the repository's own
// files, which a pull request could change.
func WithLimits(l load.Limits) Option {
	return func(c *config) { c.limits = l }
}

// validate is v.Validate, answered from the cache when the document's
// content was validated before by the same build and schemas.
func validate(v *schema.Validator, d *load.Document, store *cache.Store) (diag.List, error) {
	dk, ok := d.CacheKey()
	if store == nil || !ok {
		return v.Validate(d)
	}
	// Link normalises ids before validation, from the document alone, so
	// the content key still decides the diagnostics.
	k := cache.NewKey(schemaSalt(), dk[:])
	if b, ok := store.Get(k); ok {
		dec := cache.NewDecoder(b)
		if l := dec.Diags(d.File); dec.Done() == nil {
			return l, nil
		}
	}
	l, err := v.Validate(d)
	if err != nil {
		return nil, err
	}
	e := &cache.Encoder{}
	e.Diags(l, d.File)
	store.Put(k, e.B)
	return l, nil
}

// cachedContentDigest is contentDigest, from the cache when the document's
// content was digested before: a warm run inside git would otherwise hash
// every approved document again (4 % of its CPU at 10,000 documents).
func cachedContentDigest(d *load.Document, store *cache.Store) [32]byte {
	dk, ok := d.CacheKey()
	if store == nil || !ok {
		return contentDigest(d)
	}
	k := cache.NewKey([]byte("content 1"), dk[:])
	if b, ok := store.Get(k); ok && len(b) == 32 {
		return [32]byte(b)
	}
	c := contentDigest(d)
	store.Put(k, c[:])
	return c
}

// digestKey is the cache key of the digest of evidence file p by its
// identity on disk; false when p cannot be looked up that way (no cache, a
// git revision, a file changed just before the run).
func (w *Workspace) digestKey(p string) (cache.Key, bool) {
	return w.identityKey(p, []byte("digest 2"))
}

// identityKey is a cache key of what is derived from the regular file p
// alone, by p's identity on disk (see cache.Identity) and kind, which
// names what is derived and how; false when p cannot be looked up that
// way (no cache, a git revision, a link, a file changed just before the
// run).
func (w *Workspace) identityKey(p string, kind ...[]byte) (cache.Key, bool) {
	if w.cache == nil || w.disk == "" {
		return cache.Key{}, false
	}
	info, err := fs.Lstat(w.FS, p)
	if err != nil {
		return cache.Key{}, false
	}
	id, ok := cache.Identity(info, w.start)
	if !ok {
		return cache.Key{}, false
	}
	return cache.NewKey(append(kind, []byte(w.disk), []byte(p), id)...), true
}

// readData is load.ReadData, answered from the cache when the file is
// unchanged on disk since a run of the same build read it: result files
// linked as evidence are read on every run, and parsing them was 6 % of a
// warm pre-commit run.
func (w *Workspace) readData(fsys fs.FS, p string) (*load.Document, diag.List) {
	k, keyed := w.identityKey(p, []byte("data 2"), cache.Salt())
	if keyed {
		if b, ok := w.cache.Get(k); ok {
			if d, diags, ok := load.DecodeData(p, b); ok {
				return d, diags
			}
		}
	}
	d, diags := load.ReadData(fsys, p)
	if keyed {
		if b, ok := load.EncodeData(p, d, diags); ok {
			w.cache.Put(k, b)
		}
	}
	return d, diags
}

func (w *Workspace) cachedDigest(k cache.Key) (gap.File, bool) {
	b, ok := w.cache.Get(k)
	if !ok {
		return gap.File{}, false
	}
	d := cache.NewDecoder(b)
	f := gap.File{Size: d.Int(), SHA256: d.String(), Blank: d.Bool(), Ink: int(d.Int())}
	if d.Done() != nil || len(f.SHA256) != 64 {
		return gap.File{}, false
	}
	return f, true
}

func (w *Workspace) putDigest(k cache.Key, f gap.File) {
	e := &cache.Encoder{}
	e.Int(f.Size)
	e.String(f.SHA256)
	e.Bool(f.Blank)
	e.Int(int64(f.Ink))
	w.cache.Put(k, e.B)
}

// schemaSalt is the first part of a schema result's key: the build and the
// schemas, hashed once per run instead of once per document.
var schemaSalt = sync.OnceValue(func() []byte {
	k := cache.NewKey([]byte("schema 2"), cache.Salt(), schemaDigest())
	return k[:]
})

// schemaDigest hashes the embedded schemas: a result cached against other
// schemas is never read.
var schemaDigest = sync.OnceValue(func() []byte {
	var parts [][]byte
	_ = fs.WalkDir(schemas.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(schemas.FS, p)
			parts = append(parts, []byte(p), b)
		}
		return nil
	})
	k := cache.NewKey(parts...)
	return k[:]
})
