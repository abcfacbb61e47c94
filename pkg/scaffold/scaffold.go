package scaffold

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/aims-dev/aims/pkg/file"
	"github.com/aims-dev/aims/schemas"
)

// SchemaDir is where a scaffold holds the JSON Schemas, relative to the AIMS
// root.
const SchemaDir = ".aims/schemas"

// File is one file of a scaffold.
type File struct {
	Name string // slash path relative to the target folder
	Data []byte
	// Optional files (linter configs such as .yamllint.yaml) are left alone
	// when the folder has its own: they are suggestions, not the AIMS.
	Optional bool
}

// Plan lists the files to write: every file of src with $SCHEMAS resolved to
// the schema folder relative to that file, then the exported schemas.
func Plan(src fs.FS) ([]File, error) {
	var files []File
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(src, p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(path.Dir(p), SchemaDir)
		b = []byte(strings.ReplaceAll(string(b), "$SCHEMAS", filepath.ToSlash(rel)))
		// Linter configs at the top of the scaffold are optional.
		files = append(files, File{Name: p, Data: b, Optional: !strings.Contains(p, "/") && strings.HasPrefix(p, ".")})
		return nil
	})
	if err != nil {
		return nil, err
	}
	sch, err := Schemas()
	if err != nil {
		return nil, err
	}
	for _, f := range sch {
		files = append(files, File{Name: path.Join(SchemaDir, f.Name), Data: f.Data})
	}
	return files, nil
}

// Schemas returns every embedded JSON Schema file, named as exported.
func Schemas() ([]File, error) {
	names, err := fs.Glob(schemas.FS, "*.schema.json")
	if err != nil {
		return nil, err
	}
	files := make([]File, 0, len(names))
	for _, n := range names {
		b, err := fs.ReadFile(schemas.FS, n)
		if err != nil {
			return nil, err
		}
		files = append(files, File{Name: n, Data: b})
	}
	return files, nil
}

// ExportSchemas writes every schema file into dir, creating it if needed,
// and returns how many it wrote. The files are generated artifacts that
// belong to aims, so an older export is replaced (atomically, see
// file.Write); any other file in dir is left alone.
func ExportSchemas(dir string) (int, error) {
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return 0, fmt.Errorf("export schemas: %w", err)
	}
	files, err := Schemas()
	if err != nil {
		return 0, err
	}
	for _, f := range files {
		if err := file.Write(filepath.Join(dir, f.Name), f.Data); err != nil {
			return 0, fmt.Errorf("export schemas: %w", err)
		}
	}
	return len(files), nil
}

// Conflicts lists the files that already exist under target, in plan
// order: the required ones, which stop the whole write, and the optional
// ones, which Write then leaves alone.
func Conflicts(target string, files []File) (conflicts, kept []string, err error) {
	for _, f := range files {
		if _, err := os.Lstat(filepath.Join(target, filepath.FromSlash(f.Name))); err == nil {
			if f.Optional {
				kept = append(kept, f.Name)
			} else {
				conflicts = append(conflicts, f.Name)
			}
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, nil, err
		}
	}
	return conflicts, kept, nil
}

// Write writes files under target, creating folders as needed, all or
// nothing; an optional file that exists is left alone. init, new and
// import write through it. The files are first written into a temporary folder inside
// target, then linked into place; if anything fails (a full disk, a file
// that appeared meanwhile) every file and folder it created is removed again
// and nothing that existed before is touched.
func Write(target string, files []File) (err error) {
	files = slices.DeleteFunc(slices.Clone(files), func(f File) bool {
		if !f.Optional {
			return false
		}
		_, err := os.Lstat(filepath.Join(target, filepath.FromSlash(f.Name)))
		return err == nil // the user's own copy stays
	})
	var t txn
	defer func() {
		if err != nil {
			t.undo()
		}
	}()
	if err := t.mkdirAll(target); err != nil {
		return err
	}
	staging, err := os.MkdirTemp(target, ".aims-init-*")
	if err != nil {
		return err
	}
	t.staging = staging
	for i, f := range files {
		if err := stage(filepath.Join(staging, filepath.FromSlash(f.Name)), f.Data); err != nil {
			return fmt.Errorf("nothing written: file %d of %d (%s): %w", i+1, len(files), f.Name, err)
		}
	}
	for _, f := range files {
		from := filepath.Join(staging, filepath.FromSlash(f.Name))
		to := filepath.Join(target, filepath.FromSlash(f.Name))
		if err := t.mkdirAll(filepath.Dir(to)); err != nil {
			return fmt.Errorf("nothing written: %w", err)
		}
		if err := place(from, to); err != nil {
			return fmt.Errorf("nothing written: %w", err)
		}
		t.placed = append(t.placed, to)
	}
	return os.RemoveAll(staging)
}

// stage writes one file under the staging folder.
func stage(name string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	fh, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return err
	}
	_, werr := fh.Write(data)
	if cerr := fh.Close(); werr == nil {
		werr = cerr
	}
	return werr
}

// place moves a staged file into place without ever replacing a file: a
// hard link fails if the name exists, where a rename would overwrite it.
func place(from, to string) error {
	err := os.Link(from, to)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	// File systems without hard links: check, then rename.
	if _, lerr := os.Lstat(to); lerr == nil {
		return &fs.PathError{Op: "create", Path: to, Err: fs.ErrExist}
	}
	return os.Rename(from, to)
}

// txn remembers what Write created so a failure can remove exactly that.
type txn struct {
	dirs    []string // folders created, parents first
	placed  []string // files linked into place
	staging string
}

// mkdirAll creates dir and its missing parents, remembering each.
func (t *txn) mkdirAll(dir string) error {
	var missing []string
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		st, err := os.Lstat(d)
		if err == nil {
			if !st.IsDir() {
				return &fs.PathError{Op: "mkdir", Path: d, Err: errors.New("not a directory")}
			}
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	for i := len(missing) - 1; i >= 0; i-- {
		if err := os.Mkdir(missing[i], 0o755); err != nil {
			return err
		}
		t.dirs = append(t.dirs, missing[i])
	}
	return nil
}

func (t *txn) undo() {
	for _, f := range t.placed {
		os.Remove(f)
	}
	if t.staging != "" {
		os.RemoveAll(t.staging)
	}
	for i := len(t.dirs) - 1; i >= 0; i-- {
		os.Remove(t.dirs[i]) // only if empty: never a folder the user filled meanwhile
	}
}
