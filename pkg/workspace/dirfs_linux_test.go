//go:build linux

package workspace

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/aims-dev/aims/pkg/load"
	"github.com/aims-dev/aims/pkg/synth"
)

// On Linux folders are listed through descriptors, never through a link:
// a folder that is a link, or lies beyond one, is left to the os.Root.
func TestFastReadDirNeverFollowsLinks(t *testing.T) {
	root := linkTree(t)
	r, err := os.OpenRoot(root)
	if err != nil {
		t.Fatal(err)
	}
	d := newDirFS(r)
	defer d.Close()
	for _, tt := range []struct {
		name string
		fast bool
	}{
		{".", true}, {"a", true}, {"a/b/c", true}, {"evidence", true},
		{"a/out", false}, {"a/inside", false}, {"a/inside/c", false}, {"a/b/ev", false}, {"abs", false}, {"a/missing", false},
	} {
		if _, ok := d.fastReadDir(tt.name); ok != tt.fast {
			t.Errorf("fastReadDir(%q) listed: %v, want %v", tt.name, ok, tt.fast)
		}
	}
}

// prefetchTree is linkTree with more folders for the prefetcher to list
// ahead of the walk, and folders the walk skips.
func prefetchTree(t *testing.T) string {
	t.Helper()
	root := linkTree(t)
	for _, p := range []string{
		"evidence/x/1/r.md", "evidence/x/2/r.md", "evidence/y/r.md", "z/last.yaml",
		".git/objects/ab/cd", "node_modules/m/index.js", "a/.hidden/h/x.md", "vendor/v/x.yaml",
	} {
		p = filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// prefetching opens root as a run does, with a prefetcher, both closed
// when the test ends.
func prefetching(t *testing.T, root string) (*dirFS, *prefetch) {
	t.Helper()
	r, err := os.OpenRoot(root)
	if err != nil {
		t.Fatal(err)
	}
	d := newDirFS(r)
	stop := d.startPrefetch(load.SkipDir)
	t.Cleanup(func() {
		stop()
		d.Close()
	})
	p := d.pre.Load()
	if p == nil {
		t.Fatal("no prefetcher started")
	}
	return d, p
}

// idle waits until the prefetcher has listed every folder it knows of.
func idle(t *testing.T, p *prefetch) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		p.mu.Lock()
		busy := len(p.stack) > 0
		for _, f := range p.folders {
			busy = busy || f.state == fetchListing
		}
		p.mu.Unlock()
		if !busy {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the prefetcher is still listing after 10 s")
		}
	}
}

// TestPrefetchListsAheadOfTheWalk lets the prefetcher list everything it
// can before the walk goes on from the top folder: it lists every real
// folder the walk enters and nothing the walk skips or that is a link, and
// the walk then takes each listing instead of making it, getting what
// os.Root lists.
func TestPrefetchListsAheadOfTheWalk(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2)) // as on the machines it is for
	defer setPrefetchAfter(1)()                     // from the first folder the walk lists
	root := prefetchTree(t)
	want, err := os.OpenRoot(root)
	if err != nil {
		t.Fatal(err)
	}
	defer want.Close()
	d, p := prefetching(t, root)
	top, ok := d.listFD(".")
	if !ok {
		t.Fatal("cannot list the top folder")
	}
	p.take(".") // the walk's, as when it lists it
	p.walked(".", top)
	idle(t, p)
	var listed []string
	p.mu.Lock()
	for name, f := range p.folders {
		if f.state == fetchListed {
			listed = append(listed, name)
		}
	}
	p.mu.Unlock()
	slices.Sort(listed)
	wantListed := []string{"a", "a/b", "a/b/c", "evidence", "evidence/x", "evidence/x/1", "evidence/x/2", "evidence/y", "z"}
	if diff := cmp.Diff(wantListed, listed); diff != "" {
		t.Errorf("folders listed ahead of the walk (-want +got):\n%s", diff)
	}
	taken := 0
	err = fs.WalkDir(d, ".", func(name string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() {
			return nil
		}
		if name != "." && load.SkipDir(e.Name()) {
			return fs.SkipDir
		}
		p.mu.Lock()
		f := p.folders[name]
		p.mu.Unlock()
		if name != "." && (f == nil || f.state != fetchListed) {
			t.Errorf("%s: not listed ahead of the walk", name)
		}
		got := listing(fs.ReadDir(d, name))
		if name != "." {
			p.mu.Lock()
			if p.folders[name].state == fetchWalked {
				taken++
			}
			p.mu.Unlock()
		}
		if diff := cmp.Diff(listing(fs.ReadDir(want.FS(), name)), got); diff != "" {
			t.Errorf("%s listed (-os.Root +prefetched):\n%s", name, diff)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if taken != len(wantListed) {
		t.Errorf("the walk took %d listings, want %d", taken, len(wantListed))
	}
}

// TestPrefetchNeverFollowsLinks: a folder that is a link, or lies beyond
// one, is not listed by the prefetcher (the walk lists it as before).
func TestPrefetchNeverFollowsLinks(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2)) // as on the machines it is for
	d, p := prefetching(t, prefetchTree(t))
	top, ok := d.rootFD()
	if !ok {
		t.Fatal("no descriptor of the top folder")
	}
	defer unix.Close(top)
	buf := make([]byte, 4096)
	for _, tt := range []struct {
		name string
		ok   bool
	}{
		{"a", true}, {"a/b/c", true}, {"evidence/x/1", true},
		{"a/out", false}, {"a/inside", false}, {"a/inside/c", false}, {"a/chain", false}, {"a/b/ev", false}, {"abs", false}, {"a/missing", false}, {"a/b/file.txt", false},
	} {
		if _, ok, _ := p.list(top, tt.name, buf); ok != tt.ok {
			t.Errorf("prefetch listed %q: %v, want %v", tt.name, ok, tt.ok)
		}
	}
}

// TestPrefetchNeedsTwoCores: on one core the prefetcher and the walk
// would only take turns, so none is started.
func TestPrefetchNeedsTwoCores(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	r, err := os.OpenRoot(prefetchTree(t))
	if err != nil {
		t.Fatal(err)
	}
	d := newDirFS(r)
	defer d.Close()
	stop := d.startPrefetch(load.SkipDir)
	defer stop()
	if d.pre.Load() != nil {
		t.Error("a prefetcher started with GOMAXPROCS 1")
	}
}

// TestPrefetchWaitsForALargeAIMS: the prefetcher starts only once the walk
// has listed prefetchAfter folders, so walking a small AIMS costs no
// second lister, and walking a larger one does start it.
func TestPrefetchWaitsForALargeAIMS(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	root := prefetchTree(t) // the walk lists 10 folders, the top one included
	for _, tt := range []struct {
		after   int
		started bool
	}{{64, false}, {11, false}, {10, true}, {1, true}} {
		func() {
			defer setPrefetchAfter(tt.after)()
			d, p := prefetching(t, root)
			err := fs.WalkDir(d, ".", func(name string, e fs.DirEntry, err error) error {
				if err == nil && e.IsDir() && name != "." && load.SkipDir(e.Name()) {
					return fs.SkipDir
				}
				return err
			})
			p.mu.Lock()
			started := p.started
			p.mu.Unlock()
			if err != nil {
				t.Fatal(err)
			}
			if started != tt.started {
				t.Errorf("prefetchAfter %d: started %v, want %v", tt.after, started, tt.started)
			}
		}()
	}
}

// TestPrefetchedWalkLoadsTheSame opens a generated AIMS of a few hundred
// folders from disk with folders listed ahead of the walk and without, and
// requires the same documents in the same order, the same diagnostics and
// the same analysis input.
func TestPrefetchedWalkLoadsTheSame(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	files, err := synth.Generate(30)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := synth.Write(dir, files); err != nil {
		t.Fatal(err)
	}
	open := func(after int) (string, int64) {
		defer setPrefetchAfter(after)()
		w, err := OpenDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		var b strings.Builder
		for _, d := range w.Set.Docs {
			fmt.Fprintf(&b, "%s %s %s\n", d.File, d.Kind, d.ID)
		}
		for _, d := range w.Diags {
			fmt.Fprintf(&b, "%s\n", d)
		}
		fmt.Fprintf(&b, "%d systems, %d evidence\n", len(w.Model.Systems), len(w.Model.Evidence))
		return b.String(), w.dirs.prefetched.Load()
	}
	ahead, taken := open(1)
	walked, none := open(1 << 30)
	if taken == 0 || none != 0 {
		t.Errorf("listings taken from the prefetcher: %d with it, %d without; want some and none", taken, none)
	}
	if diff := cmp.Diff(walked, ahead); diff != "" {
		t.Errorf("loaded with folders listed ahead (-walk alone +ahead):\n%s", diff)
	}
	if n := strings.Count(walked, "\n"); n < 300 {
		t.Errorf("only %d lines loaded: the generated AIMS is too small to test anything", n)
	}
}
