package file

import (
	"errors"
	"io"
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

// A report streams through WriteFrom: what it writes in many pieces lands
// whole, and a failure part-way leaves the old file and no temporary one.
func TestWriteFromStreamsOrKeepsTheOldFile(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "report.html")
	if err := Write(name, []byte("old report")); err != nil {
		t.Fatal(err)
	}
	piece := strings.Repeat("x", 1000)
	var want strings.Builder
	err := WriteFrom(name, func(w io.Writer) error {
		for range 1000 { // more than the writer buffers at once
			if _, err := io.WriteString(w, piece); err != nil {
				return err
			}
			want.WriteString(piece)
		}
		return nil
	})
	if got, rerr := os.ReadFile(name); err != nil || rerr != nil || string(got) != want.String() {
		t.Fatalf("WriteFrom = %v; the file holds %d bytes (%v), want %d", err, len(got), rerr, want.Len())
	}
	boom := errors.New("template failed")
	err = WriteFrom(name, func(w io.Writer) error {
		io.WriteString(w, strings.Repeat("half", 1<<17))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("WriteFrom with a failing writer = %v, want its error", err)
	}
	if got, _ := os.ReadFile(name); string(got) != want.String() {
		t.Errorf("a failed WriteFrom changed the file to %d bytes", len(got))
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("temporary files left behind: %v", ents)
	}
}
