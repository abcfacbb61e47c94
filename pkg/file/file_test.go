package file

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestWriteReplacesContentAtomically(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "report.html")
	for _, content := range []string{"first", "second"} {
		if err := Write(name, []byte(content)); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(name)
		if err != nil || string(got) != content {
			t.Fatalf("after writing %q the file holds %q (%v)", content, got, err)
		}
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("temporary files left behind: %v", ents)
	}
}

// A report written with -o over a device, a pipe, a folder or a symlink must
// not replace it with a regular file (issue 12, defect 5).
func TestWriteRefusesWhatIsNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "target")
	if err := os.WriteFile(target, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "folder")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{fifo, link, sub} {
		before, _ := os.Lstat(name)
		err := Write(name, []byte("report"))
		if err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("Write(%s) = %v, want a refusal naming it not a regular file", filepath.Base(name), err)
		}
		after, _ := os.Lstat(name)
		if after == nil || after.Mode().Type() != before.Mode().Type() {
			t.Errorf("%s was replaced: mode %v, was %v", filepath.Base(name), after.Mode(), before.Mode())
		}
	}
	if b, _ := os.ReadFile(target); string(b) != "keep" {
		t.Errorf("the symlink's target was written through: %q", b)
	}
}

// An existing file keeps its mode (a 0600 report stays private); a new file
// gets the umask's mode, as any other tool's output would (defect 5).
func TestWriteKeepsModeAndHonoursUmask(t *testing.T) {
	dir := t.TempDir()
	private := filepath.Join(dir, "private.html")
	if err := os.WriteFile(private, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(private, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Write(private, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if got := mode(t, private); got != 0o600 {
		t.Errorf("existing 0600 file is now %v", got)
	}

	old := syscall.Umask(0o027)
	defer syscall.Umask(old)
	fresh := filepath.Join(dir, "fresh.html")
	if err := Write(fresh, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if got := mode(t, fresh); got != 0o640 {
		t.Errorf("new file with umask 027 is %v, want -rw-r-----", got)
	}
}

func mode(t *testing.T, name string) fs.FileMode {
	t.Helper()
	st, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode().Perm()
}
