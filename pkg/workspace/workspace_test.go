package workspace

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/aims-dev/aims/pkg/cache"
	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/gap"
)

// With files named (pre-commit), check shows findings in those files and
// findings about the AIMS as a whole, nothing else.
func TestOnlyFiles(t *testing.T) {
	w := &Workspace{Root: "/repo/aims"}
	l := diag.List{
		{Pos: diag.Pos{File: "risks/r1.yaml", Line: 3}, Code: "in"},
		{Pos: diag.Pos{File: "risks/r2.yaml", Line: 3}, Code: "other file"},
		{Code: "AIMS-wide"},
		{Pos: diag.Pos{File: "policy.md"}, Code: "in, no line"},
	}
	var got []string
	for _, d := range w.OnlyFiles(l, []string{"/repo/aims/risks/r1.yaml", "/repo/aims/policy.md", "/elsewhere/x.yaml"}) {
		got = append(got, d.Code)
	}
	if diff := cmp.Diff([]string{"in", "AIMS-wide", "in, no line"}, got); diff != "" {
		t.Errorf("kept (-want +got):\n%s", diff)
	}
}

// FileDigest reads an evidence file through the workspace's fs.FS (the
// working tree, or the tree at --rev) and gives its size and SHA-256, and
// whether it is blank; a path outside the AIMS or a missing file is an
// error, never a digest.
func TestFileDigest(t *testing.T) {
	w := &Workspace{FS: fstest.MapFS{
		"evidence/report.md": {Data: []byte("signed off\n")},
		"evidence/empty.md":  {Data: nil},
		"evidence/blank.md":  {Data: []byte(" \n\t\n")},
	}}
	sum := func(s string) string { b := sha256.Sum256([]byte(s)); return hex.EncodeToString(b[:]) }
	for _, tt := range []struct {
		path string
		want gap.File
		err  bool
	}{
		{"evidence/report.md", gap.File{Size: 11, SHA256: sum("signed off\n"), Ink: 9}, false},
		{"./evidence/report.md", gap.File{Size: 11, SHA256: sum("signed off\n"), Ink: 9}, false},
		{"evidence/empty.md", gap.File{Size: 0, SHA256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Blank: true}, false},
		{"evidence/blank.md", gap.File{Size: 4, SHA256: sum(" \n\t\n"), Blank: true}, false},
		{"evidence/gone.md", gap.File{}, true},
		{"../outside.md", gap.File{}, true},
	} {
		got, err := w.FileDigest(tt.path)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("FileDigest(%q) = %+v, %v; want %+v, error %v", tt.path, got, err, tt.want, tt.err)
		}
	}
}

// With a cache, an evidence file unchanged on disk since its digest was
// taken is not read again, and one rewritten is: the digest is always the
// file's current one.
func TestFileDigestCached(t *testing.T) {
	dir, cacheDir := t.TempDir(), t.TempDir()
	p := filepath.Join(dir, "report.md")
	os.WriteFile(p, []byte("signed off\n"), 0o644)
	os.Chtimes(p, time.Time{}, time.Now().Add(-time.Hour))
	later := time.Now().Add(time.Hour) // the file long unchanged by then
	opened := 0
	digest := func() gap.File {
		fsys := openCounter{os.DirFS(dir).(lstatFS), &opened}
		w := &Workspace{FS: fsys, config: config{cache: cache.Open(cacheDir), disk: dir, start: later}}
		f, err := w.FileDigest("report.md")
		if err != nil {
			t.Fatal(err)
		}
		w.cache.Flush()
		return f
	}
	first := digest()
	if got := digest(); got != first || opened != 1 {
		t.Errorf("second digest %+v after %d reads; want %+v after 1", got, opened, first)
	}
	os.WriteFile(p, []byte("signed on\n\n"), 0o644)
	os.Chtimes(p, time.Time{}, time.Now().Add(-time.Minute))
	if got := digest(); got.SHA256 == first.SHA256 || got.Size != 11 {
		t.Errorf("after a rewrite the digest is %+v, the old one was %+v", got, first)
	}
}

type lstatFS interface {
	fs.FS
	Lstat(string) (fs.FileInfo, error)
	ReadLink(string) (string, error)
}

// openCounter counts the files opened through it.
type openCounter struct {
	lstatFS
	n *int
}

func (c openCounter) Open(p string) (fs.File, error) {
	*c.n++
	return c.lstatFS.Open(p)
}
