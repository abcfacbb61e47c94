package workspace

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// lockedCounter counts the files opened through it, from any goroutine, and
// can hold every open until released.
type lockedCounter struct {
	lstatFS
	mu      sync.Mutex
	opened  []string
	release chan struct{} // nil: never held
}

func (c *lockedCounter) Open(p string) (fs.File, error) {
	if c.release != nil {
		<-c.release
	}
	c.mu.Lock()
	c.opened = append(c.opened, p)
	c.mu.Unlock()
	return c.lstatFS.Open(p)
}

func (c *lockedCounter) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.opened)
}

// evidenceDir writes n evidence files of varied content (some blank, some
// short) and returns the folder and their paths, with a missing file and
// a path leaving the AIMS among them.
func evidenceDir(t *testing.T, n int) (string, []string) {
	dir := t.TempDir()
	var paths []string
	for i := range n {
		p := fmt.Sprintf("evidence/%02d/report-%d.md", i%7, i)
		content := strings.Repeat(fmt.Sprintf("line %d of the report\n", i), i%5)
		if i%11 == 0 {
			content = " \n\t"
		}
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
		if i == n/2 {
			paths = append(paths, "evidence/gone.md", "../outside.md", "./"+p)
		}
	}
	return dir, paths
}

// Evidence files read ahead of the analysis give the analysis exactly what
// reading each when asked gives (the digest, blank or not, or the error),
// and are read once, ahead, not again when asked.
func TestReadAhead(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	dir, paths := evidenceDir(t, 120)
	asked := func(w *Workspace) []string {
		var out []string
		for _, p := range paths {
			f, err := w.FileDigest(p)
			out = append(out, fmt.Sprintf("%s: %+v %v", p, f, err))
		}
		return out
	}
	want := asked(&Workspace{FS: os.DirFS(dir), config: config{disk: dir}})

	fsys := &lockedCounter{lstatFS: os.DirFS(dir).(lstatFS)}
	w := &Workspace{FS: fsys, config: config{disk: dir}}
	w.ReadAhead(paths)
	w.ahead.wg.Wait() // every file read ahead
	ahead := fsys.count()
	got := asked(w)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("read ahead: %s\nread when asked: %s", got[i], want[i])
		}
	}
	// 120 files and the missing one were opened ahead (the path leaving
	// the AIMS never is), and none again when asked.
	if ahead != 121 || fsys.count() != ahead {
		t.Errorf("%d files opened ahead, %d in all; want 121 and 121", ahead, fsys.count())
	}
}

// Close stops reading ahead: a run that ends early (an error, a report
// written) does not wait for every evidence file to be read.
func TestReadAheadStopsAtClose(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	dir, paths := evidenceDir(t, 50)
	fsys := &lockedCounter{lstatFS: os.DirFS(dir).(lstatFS), release: make(chan struct{})}
	w := &Workspace{FS: fsys, config: config{disk: dir}}
	w.ReadAhead(paths)
	closed := make(chan struct{})
	go func() { w.Close(); close(closed) }()
	// Close is waiting for the file being read, if any; let it finish.
	for w.ahead.stop.Load() == false {
		runtime.Gosched()
	}
	close(fsys.release)
	<-closed
	if n := fsys.count(); n > 1 {
		t.Errorf("%d files read after Close; want at most the one being read when it was called", n)
	}
}

// Without a second core, or reading a git revision (no folder on disk),
// nothing is read ahead: FileDigest reads each file when asked, as before.
func TestReadAheadOnlyOnDisk(t *testing.T) {
	dir, paths := evidenceDir(t, 10)
	for _, tt := range []struct {
		name  string
		procs int
		disk  string
	}{
		{"one core", 1, dir},
		{"git revision", 2, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(tt.procs))
			fsys := &lockedCounter{lstatFS: os.DirFS(dir).(lstatFS)}
			w := &Workspace{FS: fsys, config: config{disk: tt.disk}}
			w.ReadAhead(paths)
			w.ahead.wg.Wait()
			if n := fsys.count(); n != 0 {
				t.Errorf("%d files read ahead; want none", n)
			}
			if _, err := w.FileDigest(paths[0]); err != nil || fsys.count() != 1 {
				t.Errorf("FileDigest = %v after %d reads; want a digest after 1", err, fsys.count())
			}
		})
	}
}
