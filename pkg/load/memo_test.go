package load

import (
	"bytes"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/aims-dev/aims/pkg/cache"
)

// A load with a Memo yields what one without yields, with the same
// documents for the files unchanged since the last load, none of them read
// or taken from the cache, and new documents for a file edited.
func TestMemoKeepsUnchangedFilesDocuments(t *testing.T) {
	dir := t.TempDir()
	for name, f := range cacheFixture {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	memo := NewMemo()
	later := time.Now().Add(time.Hour) // every file long unchanged by then
	kinds := []string{"Risk", "Policy"}
	run := func(store *cache.Store) (*Set, map[string]int) {
		fsys := countingFS{os.DirFS(dir), &sync.Mutex{}, map[string]int{}}
		set, err := Load(fsys, Options{Cache: store, Memo: memo, Disk: dir, Start: later, Kinds: kinds})
		if err != nil {
			t.Fatal(err)
		}
		return set, fsys.opened
	}
	byFile := func(s *Set) map[string]*Document {
		m := map[string]*Document{}
		for _, d := range s.Docs {
			m[d.File+"#"+d.ID] = d
		}
		return m
	}
	first, _ := run(nil)
	want, err := Load(os.DirFS(dir), Options{Kinds: kinds})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, first, cmpSet); diff != "" {
		t.Fatalf("first load (-without memo +with):\n%s", diff)
	}

	// No cache at all: what the second load holds can only come from the memo.
	second, opened := run(nil)
	delete(opened, ".")         // listed, as every load does
	delete(opened, "aims.yaml") // read for documents.include before the walk
	if len(opened) != 0 {
		t.Errorf("unchanged files were read again: %v", opened)
	}
	if second.Cached != len(cacheFixture) {
		t.Errorf("%d of %d files from the memo", second.Cached, len(cacheFixture))
	}
	if diff := cmp.Diff(want, second, cmpSet); diff != "" {
		t.Errorf("second load (-without memo +with):\n%s", diff)
	}
	was := byFile(first)
	for k, d := range byFile(second) {
		if was[k] != d {
			t.Errorf("%s: a new document for an unchanged file", k)
		}
	}

	p := filepath.Join(dir, "risks.yaml")
	old, _ := os.ReadFile(p)
	os.WriteFile(p, bytes.Replace(old, []byte("title: \"two\""), []byte("title: \"2\"  "), 1), 0o644)
	os.Chtimes(p, time.Time{}, time.Now().Add(-time.Minute))
	third, opened := run(nil)
	if opened["risks.yaml"] == 0 || opened["policy.md"] != 0 {
		t.Errorf("after an edit of risks.yaml, opened %v", opened)
	}
	want, err = Load(os.DirFS(dir), Options{Kinds: kinds})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, third, cmpSet); diff != "" {
		t.Errorf("after an edit (-without memo +with):\n%s", diff)
	}
	now := byFile(third)
	if now["risks.yaml#R-2"] == was["risks.yaml#R-2"] || now["policy.md#POL-1"] != was["policy.md#POL-1"] {
		t.Error("the edited file's documents must be new, the others the same")
	}
	if n := memo.Len(); n != len(cacheFixture) {
		t.Errorf("the memo holds %d files, want %d: the edited file's old parse is dropped", n, len(cacheFixture))
	}
}
