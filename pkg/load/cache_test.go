package load

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/aims-dev/aims/pkg/cache"
	"github.com/aims-dev/aims/pkg/diag"
)

// cacheFixture holds what the loader keeps per file: several documents in
// one file, aliases and merges, numbers kept as written, a YAML 1.1
// warning, a Markdown body, a syntax error, a duplicate key, a binary file,
// a document outside documents.include and a file of another tool.
var cacheFixture = fstest.MapFS{
	"aims.yaml": {Data: []byte("apiVersion: aims/v1\nkind: AIMS\nid: AIMS-1\ndocuments:\n  include: [\"inc/\"]\n")},
	"risks.yaml": {Data: []byte("apiVersion: aims/v1\nkind: Risk\nid: R-1\nbase: &b {likelihood: 2, impact: 3.50}\ntreatment:\n  <<: *b\n  controls: [A.6.2.4, 7.4]\n  accepted: no\n" +
		"---\napiVersion: aims/v1\nkind: Risk\nid: R-2\ntitle: \"two\"\n")},
	"policy.md":        {Data: []byte("---\napiVersion: aims/v1\nkind: Policy\nid: POL-1\n---\n# Policy\n\nBody text.\n")},
	"broken.yaml":      {Data: []byte("apiVersion: aims/v1\nkind: Risk\nid: [R-3\n")},
	"dup.yaml":         {Data: []byte("apiVersion: aims/v1\nkind: Risk\nid: R-4\nid: R-5\n")},
	"bin.yaml":         {Data: []byte("apiVersion: aims/v1\x00\n")},
	"inc/plain.yaml":   {Data: []byte("kind: Risk\nid: R-6\n")},
	"inc/neither.yaml": {Data: []byte("title: nothing\n")},
	"elsewhere.yaml":   {Data: []byte("kind: Risk\nid: R-7\n")},
	"mkdocs.yml":       {Data: []byte("site_name: docs\n")},
}

var cmpSet = cmp.Options{
	// A document compares by what it holds, its positions decoded
	// whether they were parsed or are still encoded from the cache.
	cmp.Transformer("document", func(d *Document) docView {
		if d == nil {
			return docView{}
		}
		return docView{d.File, d.Index, d.APIVersion, d.Kind, d.ID, d.Value, d.Body, d.BodyLine, d.positions(), d.raw, d.start}
	}),
	cmp.AllowUnexported(span{}),
	cmpopts.IgnoreFields(Set{}, "FS", "Cached"),
}

type docView struct {
	File                 string
	Index                int
	APIVersion, Kind, ID string
	Value                map[string]any
	Body                 string
	BodyLine             int
	Pos                  map[string]span
	Raw                  map[string]string
	Start                diag.Pos
}

func loadCached(t *testing.T, fsys fs.FS, dir string, lim Limits) *Set {
	t.Helper()
	store := cache.Open(dir)
	set, err := Load(fsys, Options{Cache: store, Limits: lim, Kinds: []string{"Risk", "Policy"}})
	if err != nil {
		t.Fatal(err)
	}
	store.Flush()
	return set
}

// A run answered from the cache yields the same documents, positions, raw
// numbers, bodies and diagnostics as one that parses every file.
func TestCacheSameAsParsing(t *testing.T) {
	dir := t.TempDir()
	want := loadCached(t, cacheFixture, "", Limits{})
	cold := loadCached(t, cacheFixture, dir, Limits{})
	warm := loadCached(t, cacheFixture, dir, Limits{})
	if cold.Cached != 0 || warm.Cached != len(cacheFixture) {
		t.Fatalf("files from the cache: cold run %d, warm run %d; want 0 and %d", cold.Cached, warm.Cached, len(cacheFixture))
	}
	if len(want.Docs) < 5 || len(want.Diags) < 5 {
		t.Fatalf("fixture too small to prove anything: %d documents, %d diagnostics", len(want.Docs), len(want.Diags))
	}
	for name, got := range map[string]*Set{"cold": cold, "warm": warm} {
		if diff := cmp.Diff(want, got, cmpSet); diff != "" {
			t.Errorf("%s run with cache differs from the run without (-want +got):\n%s", name, diff)
		}
	}

	// One file changed: only it is parsed again.
	changed := fstest.MapFS{}
	for k, v := range cacheFixture {
		changed[k] = v
	}
	changed["dup.yaml"] = &fstest.MapFile{Data: []byte("apiVersion: aims/v1\nkind: Risk\nid: R-4\ntitle: fixed\n")}
	got := loadCached(t, changed, dir, Limits{})
	if got.Cached != len(cacheFixture)-1 {
		t.Errorf("after one edit %d files came from the cache, want %d", got.Cached, len(cacheFixture)-1)
	}
	if diff := cmp.Diff(loadCached(t, changed, "", Limits{}), got, cmpSet); diff != "" {
		t.Errorf("after one edit (-no cache +cache):\n%s", diff)
	}
}

// A corrupt entry or index is a miss: the file is parsed again and the
// result is the same. (pkg/cache tests foreign entries and every byte.)
func TestCacheEntryNotTrusted(t *testing.T) {
	want := loadCached(t, cacheFixture, "", Limits{})
	magic := []byte("aims-cache 2\n")
	for name, spoil := range map[string]func(pack, index string){
		"last byte of every entry flipped": func(pack, _ string) {
			b, _ := os.ReadFile(pack)
			for _, i := range append(indexes(b, magic)[1:], len(b)) {
				b[i-1] ^= 0x20
			}
			os.WriteFile(pack, b, 0o600)
		},
		"pack truncated": func(pack, _ string) {
			b, _ := os.ReadFile(pack)
			os.WriteFile(pack, b[:len(b)/2], 0o600)
		},
		"pack garbage": func(pack, _ string) {
			b, _ := os.ReadFile(pack)
			os.WriteFile(pack, bytes.Repeat([]byte{0xff}, len(b)), 0o600)
		},
		"index garbage": func(_, index string) {
			b, _ := os.ReadFile(index)
			b[len(b)/2] ^= 1
			os.WriteFile(index, b, 0o600)
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			loadCached(t, cacheFixture, dir, Limits{})
			packs, _ := filepath.Glob(filepath.Join(dir, "*.pack"))
			if len(packs) != 1 {
				t.Fatalf("%d packs after one run, want 1", len(packs))
			}
			if b, _ := os.ReadFile(packs[0]); len(indexes(b, magic)) != len(cacheFixture) {
				t.Fatalf("want one pack with an entry per file (%d)", len(cacheFixture))
			}
			spoil(packs[0], filepath.Join(dir, "index"))
			got := loadCached(t, cacheFixture, dir, Limits{})
			if got.Cached >= len(cacheFixture) {
				t.Errorf("every spoiled entry was used")
			}
			if name != "pack truncated" && got.Cached != 0 {
				t.Errorf("%d spoiled entries were used", got.Cached)
			}
			if diff := cmp.Diff(want, got, cmpSet); diff != "" {
				t.Errorf("(-without cache +with spoiled cache):\n%s", diff)
			}
		})
	}
}

func indexes(b, sep []byte) []int {
	var out []int
	for off := 0; ; {
		i := bytes.Index(b[off:], sep)
		if i < 0 {
			return out
		}
		out = append(out, off+i)
		off += i + len(sep)
	}
}

// countingFS counts the files opened through it (Load's workers open them
// concurrently).
type countingFS struct {
	fs.FS
	mu     *sync.Mutex
	opened map[string]int
}

func (c countingFS) Open(p string) (fs.File, error) {
	c.mu.Lock()
	c.opened[p]++
	c.mu.Unlock()
	return c.FS.Open(p)
}

func (c countingFS) ReadDir(p string) ([]fs.DirEntry, error) { return fs.ReadDir(c.FS, p) }

// On disk, a file unchanged since it was cached is not even read; a file
// rewritten (same size, new bytes) is read again, as is one changed
// within the racy window before the run.
func TestCacheSkipsUnchangedFilesOnDisk(t *testing.T) {
	dir := t.TempDir()
	for name, f := range cacheFixture {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cacheDir := t.TempDir()
	run := func(start time.Time) (*Set, map[string]int) {
		store := cache.Open(cacheDir)
		fsys := countingFS{os.DirFS(dir), &sync.Mutex{}, map[string]int{}}
		set, err := Load(fsys, Options{Cache: store, Disk: dir, Start: start, Kinds: []string{"Risk", "Policy"}})
		if err != nil {
			t.Fatal(err)
		}
		store.Flush()
		return set, fsys.opened
	}
	later := time.Now().Add(time.Hour) // every file long unchanged by then
	run(later)
	set, opened := run(later)
	if set.Cached != len(cacheFixture) || opened["risks.yaml"] != 0 {
		t.Fatalf("warm run: %d of %d files from the cache, risks.yaml opened %d times", set.Cached, len(cacheFixture), opened["risks.yaml"])
	}

	// Same size, other bytes, another modification time.
	p := filepath.Join(dir, "dup.yaml")
	old, _ := os.ReadFile(p)
	edited := bytes.Replace(old, []byte("id: R-5"), []byte("ix: R-5"), 1)
	os.WriteFile(p, edited, 0o644)
	os.Chtimes(p, time.Time{}, time.Now().Add(-time.Minute))
	set, opened = run(later)
	if opened["dup.yaml"] == 0 {
		t.Error("an edited file was not read")
	}
	want, err := Load(os.DirFS(dir), Options{Kinds: []string{"Risk", "Policy"}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, set, cmpSet); diff != "" {
		t.Errorf("after an edit (-without cache +with):\n%s", diff)
	}

	// A run starting now reads what changed within the racy window.
	if _, opened = run(time.Now()); opened["dup.yaml"] == 0 {
		t.Error("a file changed just before the run was not read")
	}
}
