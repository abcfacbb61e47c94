package workspace

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/aims-dev/aims/pkg/cache"
	"github.com/aims-dev/aims/pkg/load"
)

// linkTree writes an AIMS-like folder beside a secret outside it, with
// links that stay inside, leave it, point up and back down, and chain.
func linkTree(t *testing.T) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("symlinks need privileges on Windows")
	}
	base := t.TempDir()
	root := filepath.Join(base, "aims")
	write := func(p, s string) {
		p = filepath.Join(base, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(target, p string) {
		if err := os.Symlink(target, filepath.Join(base, filepath.FromSlash(p))); err != nil {
			t.Fatal(err)
		}
	}
	write("secret/passwd", "outside")
	write("aims/aims.yaml", "kind: Manifest\n")
	write("aims/a/b/c/deep.md", "deep")
	write("aims/a/b/file.txt", "file")
	write("aims/evidence/report.pdf", "report")
	link("../secret", "aims/a/out")                 // a folder outside
	link("../../secret/passwd", "aims/a/passwd")    // a file outside
	link("b", "aims/a/inside")                      // a folder beside it
	link("../evidence/report.pdf", "aims/a/up.pdf") // up and back down, still inside
	link("b/file.txt", "aims/a/down.txt")           // down into a folder
	link("../../evidence", "aims/a/b/ev")           // a folder elsewhere in the AIMS
	link("inside/c", "aims/a/chain")                // a link through a link
	link(filepath.Join(base, "secret"), "aims/abs") // absolute, outside
	link("missing", "aims/a/dangling")
	return root
}

// dirfsPaths are the names asked of both file systems: every file, folder
// and link of linkTree, paths through each link, and invalid names.
var dirfsPaths = []string{
	".", "aims.yaml", "a", "a/b", "a/b/c", "a/b/c/deep.md", "a/b/file.txt", "evidence", "evidence/report.pdf",
	"a/out", "a/out/passwd", "a/passwd", "a/inside", "a/inside/file.txt", "a/inside/c/deep.md",
	"a/up.pdf", "a/down.txt", "a/b/ev", "a/b/ev/report.pdf", "a/chain", "a/chain/deep.md",
	"abs", "abs/passwd", "a/dangling", "missing", "a/missing/x", "a/b/file.txt/x",
	"../secret/passwd", "a/../aims.yaml", "/etc/passwd", "a//b", "",
}

// answer is what a file system said about one name, comparable across two.
type answer struct {
	Lstat, Stat, Open, ReadFile, ReadDir, ReadLink string
}

// info describes what Stat or Lstat answered.
func info(st fs.FileInfo, err error) string {
	if err != nil {
		return "error: " + err.Error()
	}
	// The identity is what the cache keys unchanged files by.
	id, _ := cache.Identity(st, time.Now().Add(time.Hour))
	return fmt.Sprintf("%s %v %d %v %x", st.Name(), st.Mode(), st.Size(), st.ModTime(), id)
}

// listing describes what ReadDir answered.
func listing(ents []fs.DirEntry, err error) string {
	if err != nil {
		return "error: " + err.Error()
	}
	var names []string
	for _, e := range ents {
		st, err := e.Info()
		names = append(names, e.Name()+" "+info(st, err))
	}
	return strings.Join(names, ", ")
}

func ask(fsys fs.FS, name string) answer {
	var a answer
	a.Lstat = info(fs.Lstat(fsys, name))
	a.Stat = info(fs.Stat(fsys, name))
	if f, err := fsys.Open(name); err != nil {
		a.Open = "error: " + err.Error()
	} else {
		a.Open = info(f.Stat())
		f.Close()
	}
	if b, err := fs.ReadFile(fsys, name); err != nil {
		a.ReadFile = "error: " + err.Error()
	} else {
		a.ReadFile = string(b)
	}
	a.ReadDir = listing(fs.ReadDir(fsys, name))
	if s, err := fs.ReadLink(fsys, name); err != nil {
		a.ReadLink = "error: " + err.Error()
	} else {
		a.ReadLink = s
	}
	return a
}

// TestDirFSAnswersAsOSRoot: the folder-by-folder file system gives the
// answers, errors included, of the os.Root it replaces, for files, folders,
// links that stay inside and links that leave, whatever the order of the
// questions and however few folders it may keep open.
func TestDirFSAnswersAsOSRoot(t *testing.T) {
	root := linkTree(t)
	for _, c := range []struct {
		keep     int
		walk     bool
		prefetch bool // the walk lists folders with a prefetcher running
	}{{512, true, false}, {512, false, false}, {1, true, false}, {1, false, false}, {512, true, true}, {1, true, true}} {
		keep := c.keep
		t.Run(fmt.Sprintf("maxDirs=%d/walked=%v/prefetch=%v", c.keep, c.walk, c.prefetch), func(t *testing.T) {
			defer func(n int) { maxDirs = n }(maxDirs)
			maxDirs = keep
			want, err := os.OpenRoot(root)
			if err != nil {
				t.Fatal(err)
			}
			defer want.Close()
			r, err := os.OpenRoot(root)
			if err != nil {
				t.Fatal(err)
			}
			d := newDirFS(r)
			defer d.Close()
			// Walked first (as a run does) or not, then every name twice:
			// once answered fresh, once from what was learnt.
			if c.walk {
				stop := func() {}
				if c.prefetch {
					defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2)) // it needs two
					defer setPrefetchAfter(1)()                     // and a larger AIMS
					stop = d.startPrefetch(load.SkipDir)
				}
				err := fs.WalkDir(d, ".", func(string, fs.DirEntry, error) error { return nil })
				stop()
				if err != nil {
					t.Fatal(err)
				}
			}
			for range 2 {
				for _, p := range dirfsPaths {
					if diff := cmp.Diff(ask(want.FS(), p), ask(d, p)); diff != "" {
						t.Errorf("%q (-os.Root +dirFS):\n%s", p, diff)
					}
				}
			}
		})
	}
}

// setPrefetchAfter sets prefetchAfter and returns the restore.
func setPrefetchAfter(n int) (restore func()) {
	old := prefetchAfter
	prefetchAfter = n
	return func() { prefetchAfter = old }
}

// TestDirFSNeverLeavesTheRoot names the outside file through every link
// that leads there: no call may read it.
func TestDirFSNeverLeavesTheRoot(t *testing.T) {
	root := linkTree(t)
	r, err := os.OpenRoot(root)
	if err != nil {
		t.Fatal(err)
	}
	d := newDirFS(r)
	defer d.Close()
	for _, p := range []string{"a/out/passwd", "a/passwd", "abs/passwd", "../secret/passwd"} {
		if b, err := fs.ReadFile(d, p); err == nil {
			t.Errorf("ReadFile(%q) read %q from outside the root", p, b)
		}
		if _, err := fs.Stat(d, p); err == nil {
			t.Errorf("Stat(%q) reached outside the root", p)
		}
		if f, err := d.Open(p); err == nil {
			f.Close()
			t.Errorf("Open(%q) opened a file outside the root", p)
		}
	}
	for _, p := range []string{"a/out", "abs"} {
		if _, err := fs.ReadDir(d, p); err == nil {
			t.Errorf("ReadDir(%q) listed a folder outside the root", p)
		}
	}
}

// TestDirFSIsAnFS runs the standard library's file system checks.
func TestDirFSIsAnFS(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"aims.yaml", "a/b/c.yaml", "a/d.md", "e/f/g/h.txt"} {
		p = filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(p), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	d := newDirFS(r)
	defer d.Close()
	if err := fstest.TestFS(d, "aims.yaml", "a/b/c.yaml", "a/d.md", "e/f/g/h.txt"); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Open("a/nothing"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open of a missing file: %v, want fs.ErrNotExist", err)
	}
}
