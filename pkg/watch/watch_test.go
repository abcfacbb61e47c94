package watch

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func skipHidden(name string) bool { return strings.HasPrefix(name, ".") }

// tree makes root with the given files (slash paths; a trailing / makes a
// folder) and watches it.
func tree(t *testing.T, files ...string) (string, *Watcher) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("file events are read on Linux only")
	}
	root := t.TempDir()
	for _, f := range files {
		p := filepath.Join(root, filepath.FromSlash(f))
		if strings.HasSuffix(f, "/") {
			must(t, os.MkdirAll(p, 0o755))
			continue
		}
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		must(t, os.WriteFile(p, []byte("x"), 0o644))
	}
	w, err := New(root, skipHidden)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return root, w
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func changes(t *testing.T, w *Watcher) Changes {
	t.Helper()
	c, err := w.Changes()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestChangesNameEveryFileTouched(t *testing.T) {
	root, w := tree(t, "aims.yaml", "risk/r1.yaml", "risk/r2.yaml", "evidence/a/b/c.pdf", ".git/config")
	if c := changes(t, w); c.Reset || len(c.Files) != 0 {
		t.Fatalf("nothing changed yet, got %+v", c)
	}
	for _, f := range []string{".", "risk", "evidence", "evidence/a", "evidence/a/b"} {
		if !w.Watched(f) {
			t.Errorf("%s is not watched", f)
		}
	}
	if w.Watched(".git") {
		t.Error(".git is watched though skip names it")
	}
	j := func(p string) string { return filepath.Join(root, filepath.FromSlash(p)) }
	must(t, os.WriteFile(j("risk/r1.yaml"), []byte("changed"), 0o644)) // written in place
	must(t, os.Remove(j("risk/r2.yaml")))
	must(t, os.WriteFile(j("evidence/a/b/new.pdf"), nil, 0o644))
	must(t, os.Rename(j("aims.yaml"), j("aims.yml")))
	must(t, os.Chmod(j("evidence/a/b/c.pdf"), 0o600))
	must(t, os.WriteFile(j(".git/index"), nil, 0o644)) // inside a skipped folder: no event
	must(t, os.Mkdir(j(".cache"), 0o755))              // a skipped folder: its parent's listing changes
	c := changes(t, w)
	want := []string{"risk/r1.yaml", "risk/r2.yaml", "evidence/a/b/new.pdf", "aims.yaml", "aims.yml", "evidence/a/b/c.pdf", ".cache"}
	if c.Reset || !slices.Equal(c.Files, want) {
		t.Fatalf("got %+v, want files %q", c, want)
	}
	if c := changes(t, w); c.Reset || len(c.Files) != 0 {
		t.Fatalf("the changes were already read, got %+v", c)
	}
}

func TestChangesResetWhenFoldersChange(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(j func(string) string) error
		after  []string // watched once renewed
		gone   []string // no longer watched
	}{
		{"a folder created", func(j func(string) string) error { return os.MkdirAll(j("risk/new/deeper"), 0o755) }, []string{"risk/new", "risk/new/deeper"}, nil},
		{"a folder removed", func(j func(string) string) error { return os.RemoveAll(j("evidence/a")) }, nil, []string{"evidence/a", "evidence/a/b"}},
		{"a folder renamed", func(j func(string) string) error { return os.Rename(j("evidence/a"), j("evidence/z")) }, []string{"evidence/z/b"}, []string{"evidence/a"}},
		{"a folder's mode changed", func(j func(string) string) error { return os.Chmod(j("evidence/a"), 0o700) }, []string{"evidence/a/b"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root, w := tree(t, "risk/r1.yaml", "evidence/a/b/c.pdf")
			must(t, tc.change(func(p string) string { return filepath.Join(root, filepath.FromSlash(p)) }))
			if c := changes(t, w); !c.Reset || len(c.Files) != 0 {
				t.Fatalf("want a reset and no files, got %+v", c)
			}
			for _, f := range tc.after {
				if !w.Watched(f) {
					t.Errorf("%s is not watched after the reset", f)
				}
			}
			for _, f := range tc.gone {
				if w.Watched(f) {
					t.Errorf("%s is still watched", f)
				}
			}
			// The renewed watches report the next change.
			must(t, os.WriteFile(filepath.Join(root, "risk", "r1.yaml"), []byte("y"), 0o644))
			if c := changes(t, w); c.Reset || !slices.Equal(c.Files, []string{"risk/r1.yaml"}) {
				t.Fatalf("after the reset, got %+v", c)
			}
		})
	}
}

func TestChangesResetWhenEventsAreLost(t *testing.T) {
	root, w := tree(t, "a.yaml", "b.yaml")
	b, err := os.ReadFile("/proc/sys/fs/inotify/max_queued_events")
	must(t, err)
	queue, err := strconv.Atoi(strings.TrimSpace(string(b)))
	must(t, err)
	// Alternating files: the kernel merges only an event equal to the
	// last one queued.
	fa, err := os.OpenFile(filepath.Join(root, "a.yaml"), os.O_WRONLY, 0)
	must(t, err)
	defer fa.Close()
	fb, err := os.OpenFile(filepath.Join(root, "b.yaml"), os.O_WRONLY, 0)
	must(t, err)
	defer fb.Close()
	for range queue/2 + 1000 {
		fa.Write([]byte("x"))
		fb.Write([]byte("x"))
	}
	if c := changes(t, w); !c.Reset {
		t.Fatalf("%d events cannot all be queued, want a reset, got %d files", queue+2000, len(c.Files))
	}
}

func TestChangesResetWhenTheRootGoes(t *testing.T) {
	root, w := tree(t, "a.yaml")
	must(t, os.RemoveAll(root))
	if _, err := w.Changes(); err == nil {
		t.Fatal("the root is gone: want an error, the watcher cannot be trusted")
	}
}

func TestNewRefusesWhatItCannotWatch(t *testing.T) {

	if runtime.GOOS != "linux" {
		if _, err := New(t.TempDir(), nil); !errors.Is(err, errors.ErrUnsupported) {
			t.Fatalf("want ErrUnsupported, got %v", err)
		}
		return
	}
	if _, err := New(filepath.Join(t.TempDir(), "missing"), nil); err == nil {
		t.Fatal("want an error for a missing root")
	}
}
