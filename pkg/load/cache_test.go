package load

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/aims-dev/aims/pkg/cache"
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
	cmp.AllowUnexported(Document{}, span{}),
	cmpopts.IgnoreFields(Document{}, "key"),
	cmpopts.IgnoreFields(Set{}, "FS", "Cached"),
}

func loadCached(t *testing.T, fsys fs.FS, dir string, lim Limits) *Set {
	t.Helper()
	set, err := Load(fsys, Options{Cache: cache.Open(dir), Limits: lim, Kinds: []string{"Risk", "Policy"}})
	if err != nil {
		t.Fatal(err)
	}
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

// A corrupt, truncated or foreign entry is a miss: the file is parsed
// again and the result is the same.
func TestCacheEntryNotTrusted(t *testing.T) {
	want := loadCached(t, cacheFixture, "", Limits{})
	for name, spoil := range map[string]func(entries []string){
		"flipped byte": func(entries []string) {
			for _, e := range entries {
				b, _ := os.ReadFile(e)
				b[len(b)-1] ^= 0x20
				os.WriteFile(e, b, 0o600)
			}
		},
		"truncated": func(entries []string) {
			for _, e := range entries {
				b, _ := os.ReadFile(e)
				os.WriteFile(e, b[:len(b)/2], 0o600)
			}
		},
		"foreign": func(entries []string) {
			// Each entry replaced by another key's intact entry.
			first, _ := os.ReadFile(entries[0])
			for i, e := range entries {
				next := first
				if i+1 < len(entries) {
					next, _ = os.ReadFile(entries[i+1])
				}
				os.WriteFile(e, next, 0o600)
			}
		},
		"garbage": func(entries []string) {
			for _, e := range entries {
				os.WriteFile(e, bytes.Repeat([]byte{0xff}, 200), 0o600)
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			loadCached(t, cacheFixture, dir, Limits{})
			entries, _ := filepath.Glob(filepath.Join(dir, "*", "*"))
			if len(entries) != len(cacheFixture) {
				t.Fatalf("%d entries, want one per file (%d)", len(entries), len(cacheFixture))
			}
			spoil(entries)
			got := loadCached(t, cacheFixture, dir, Limits{})
			if got.Cached != 0 {
				t.Errorf("%d spoiled entries were used", got.Cached)
			}
			if diff := cmp.Diff(want, got, cmpSet); diff != "" {
				t.Errorf("(-without cache +with spoiled cache):\n%s", diff)
			}
		})
	}
}

// Files from the cache still spend the run's value budget, and an entry
// made with other limits is never used: the limits apply as without cache.
func TestCacheKeepsLimits(t *testing.T) {
	dir := t.TempDir()
	loadCached(t, cacheFixture, dir, Limits{}) // warm, with the default limits
	for _, lim := range []Limits{{RunValues: 20}, {FileValues: 8}} {
		want := loadCached(t, cacheFixture, "", lim)
		loadCached(t, cacheFixture, dir, lim)
		got := loadCached(t, cacheFixture, dir, lim)
		if diff := cmp.Diff(want, got, cmpSet); diff != "" {
			t.Errorf("limits %+v (-without cache +with):\n%s", lim, diff)
		}
		if !hasCode(got, CodeStructure) {
			t.Errorf("limits %+v: no %s diagnostic; the fixture should exceed them", lim, CodeStructure)
		}
	}
}

// A file from the cache still spends the run's budget: a cache warmed
// within the budget, then a new file pushes the run over it.
func TestCacheSpendsRunBudget(t *testing.T) {
	// The fewest values the fixture fits in.
	need := 1
	for hasCode(loadCached(t, cacheFixture, "", Limits{RunValues: need}), CodeStructure) {
		need++
	}
	lim := Limits{RunValues: need + 5}
	dir := t.TempDir()
	loadCached(t, cacheFixture, dir, lim)
	grown := fstest.MapFS{"zz.yaml": {Data: []byte("apiVersion: aims/v1\nkind: Risk\nid: R-9\nlist: [1, 2, 3, 4, 5, 6, 7, 8]\n")}}
	for k, v := range cacheFixture {
		grown[k] = v
	}
	want := loadCached(t, grown, "", lim)
	got := loadCached(t, grown, dir, lim)
	if got.Cached == 0 {
		t.Fatal("nothing came from the cache")
	}
	if !hasCode(want, CodeStructure) {
		t.Fatal("the grown fixture should exceed the run's budget")
	}
	if diff := cmp.Diff(want, got, cmpSet); diff != "" {
		t.Errorf("(-without cache +with):\n%s", diff)
	}
}

func hasCode(s *Set, code string) bool {
	for _, d := range s.Diags {
		if d.Code == code && (d.Msg != "" && bytes.Contains([]byte(d.Msg), []byte("values"))) {
			return true
		}
	}
	return false
}
