package vcs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/aims-dev/aims/pkg/load"
)

// A blob above the working tree's file limit is refused from its object
// header: Stat still gives its size, Open and ReadFile fail with
// load.ErrTooLarge, and nothing near its size is allocated (issue 12,
// defect 3). Checked for a loose object and, with git, packed.
func TestBigBlobIsNotRead(t *testing.T) {
	big := strings.Repeat("x: 1\n", (load.MaxFileBytes+1<<20)/5)
	for _, packed := range []bool{false, true} {
		t.Run(fmt.Sprintf("packed=%v", packed), func(t *testing.T) {
			dir := t.TempDir()
			b := newBuilder(t, dir)
			b.ref("refs/heads/main", b.commit(map[string]string{"big.yaml": big, "small.yaml": "a: 1\n"}, "big\n", day(0)))
			if packed {
				runGit(t, dir, nil, "gc", "--quiet")
			}
			tree, _, err := openRepo(t, dir).FS("HEAD")
			if err != nil {
				t.Fatal(err)
			}
			var ms runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&ms)
			before := ms.TotalAlloc
			st, err := fs.Stat(tree, "big.yaml")
			if err != nil || st.Size() != int64(len(big)) {
				t.Fatalf("Stat = %v, %v; want size %d", st, err, len(big))
			}
			if _, err := tree.Open("big.yaml"); !errors.Is(err, load.ErrTooLarge) {
				t.Errorf("Open = %v, want ErrTooLarge", err)
			}
			if _, err := fs.ReadFile(tree, "big.yaml"); !errors.Is(err, load.ErrTooLarge) {
				t.Errorf("ReadFile = %v, want ErrTooLarge", err)
			}
			runtime.ReadMemStats(&ms)
			if got := ms.TotalAlloc - before; got > load.MaxFileBytes/2 {
				t.Errorf("refusing the blob allocated %d MiB", got>>20)
			}
			if b, err := fs.ReadFile(tree, "small.yaml"); err != nil || string(b) != "a: 1\n" {
				t.Errorf("small.yaml = %q, %v", b, err)
			}
		})
	}
}

// A corrupt object is an error naming it, never "file not found" (which
// would read as a missing document or evidence file; defect 6).
func TestCorruptObjectIsAnErrorNamingIt(t *testing.T) {
	dir := t.TempDir()
	b := newBuilder(t, dir)
	blob := b.blob("policy: v1\n")
	b.ref("refs/heads/main", b.commit(map[string]string{"aims/policy.yaml": "policy: v1\n", "aims/aims.yaml": "m: 1\n"}, "c\n", day(0)))
	corrupt(t, dir, blob)
	tree, _, err := openRepo(t, dir).FS("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	for op, f := range map[string]func() error{
		"Open":     func() error { _, err := tree.Open("aims/policy.yaml"); return err },
		"ReadFile": func() error { _, err := fs.ReadFile(tree, "aims/policy.yaml"); return err },
		"Stat":     func() error { _, err := fs.Stat(tree, "aims/policy.yaml"); return err },
	} {
		err := f()
		if err == nil || errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), blob.String()) {
			t.Errorf("%s of a corrupt blob = %v, want an error naming %s that is not ErrNotExist", op, err, blob)
		}
	}
}

// corrupt overwrites a loose object with bytes that do not inflate.
func corrupt(t *testing.T, dir string, h plumbing.Hash) {
	t.Helper()
	name := filepath.Join(dir, ".git", "objects", h.String()[:2], h.String()[2:])
	if err := os.Chmod(name, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte("not zlib at all"), 0o644); err != nil {
		t.Fatal(err)
	}
}
