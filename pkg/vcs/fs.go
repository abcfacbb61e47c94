package vcs

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/aims-dev/aims/pkg/load"
)

// pathProblem is an error about one path (a link, a folder where a file was
// expected), not about the repository. It matches fs.ErrInvalid, so callers
// report it on that path and carry on; any other error from a treeFS means
// the repository could not be read and must stop the run.
type pathProblem string

func (e pathProblem) Error() string        { return string(e) }
func (e pathProblem) Is(target error) bool { return target == fs.ErrInvalid }

// errLink is returned for symbolic links and submodules in a commit: their
// targets are outside the commit, and following them would let a crafted
// repository make us read arbitrary files.
var errLink error = pathProblem("symbolic link or submodule not followed")

// FS returns the tree of the commit rev names as a read-only file system
// with paths relative to the repository root, and the commit itself. The
// working tree is not touched. Symbolic links appear in listings with
// fs.ModeSymlink but cannot be opened. The file system reads from r and is
// usable until r is closed.
func (r *Repo) FS(rev string) (fs.FS, Commit, error) {
	r.mu.Lock()
	c, err := r.resolve(rev)
	r.mu.Unlock()
	if err != nil {
		return nil, Commit{}, err
	}
	info := toCommit(c)
	return &treeFS{r: r, root: c.TreeHash, mod: info.Committed}, info, nil
}

// treeFS implements fs.FS, fs.ReadDirFS, fs.ReadFileFS and fs.StatFS over a
// commit tree. Every file's ModTime is the commit's committer date: git
// keeps no per-file times.
type treeFS struct {
	r    *Repo
	root plumbing.Hash
	mod  time.Time
}

var (
	_ fs.ReadDirFS  = (*treeFS)(nil)
	_ fs.ReadFileFS = (*treeFS)(nil)
	_ fs.StatFS     = (*treeFS)(nil)
)

// lookup finds the entry for name without following links. Callers must
// hold r.mu.
func (t *treeFS) lookup(op, name string) (entry, error) {
	if !fs.ValidPath(name) {
		return entry{}, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	e := entry{name: []byte("."), mode: modeDir, hash: t.root}
	if name == "." {
		return e, nil
	}
	for part := range strings.SplitSeq(name, "/") {
		if !e.isDir() {
			return entry{}, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
		}
		tr, err := t.r.tree(e.hash)
		if err != nil {
			return entry{}, &fs.PathError{Op: op, Path: name, Err: err}
		}
		var ok bool
		if e, ok = tr.find([]byte(part)); !ok {
			return entry{}, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
		}
	}
	return e, nil
}

func (t *treeFS) Open(name string) (fs.File, error) {
	t.r.mu.Lock()
	defer t.r.mu.Unlock()
	e, err := t.lookup("open", name)
	if err != nil {
		return nil, err
	}
	switch e.mode {
	case modeDir:
		ents, err := t.readDir(e.hash)
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		return &dirFile{info: t.info(e, 0), ents: ents}, nil
	case modeFile, modeExec:
		data, err := t.r.blob(e.hash)
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		return &blobFile{info: t.info(e, int64(len(data))), Reader: bytes.NewReader(data)}, nil
	default:
		return nil, &fs.PathError{Op: "open", Path: name, Err: errLink}
	}
}

func (t *treeFS) ReadFile(name string) ([]byte, error) {
	t.r.mu.Lock()
	defer t.r.mu.Unlock()
	e, err := t.lookup("readfile", name)
	if err != nil {
		return nil, err
	}
	switch e.mode {
	case modeFile, modeExec:
		data, err := t.r.blob(e.hash)
		if err != nil {
			return nil, &fs.PathError{Op: "readfile", Path: name, Err: err}
		}
		return data, nil
	case modeDir:
		return nil, &fs.PathError{Op: "readfile", Path: name, Err: pathProblem("is a directory")}
	default:
		return nil, &fs.PathError{Op: "readfile", Path: name, Err: errLink}
	}
}

func (t *treeFS) ReadDir(name string) ([]fs.DirEntry, error) {
	t.r.mu.Lock()
	defer t.r.mu.Unlock()
	e, err := t.lookup("readdir", name)
	if err != nil {
		return nil, err
	}
	if !e.isDir() {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: pathProblem("not a directory")}
	}
	ents, err := t.readDir(e.hash)
	if err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: err}
	}
	return ents, nil
}

// Stat describes name without opening it, so symbolic links can be
// inspected even though they cannot be opened.
func (t *treeFS) Stat(name string) (fs.FileInfo, error) {
	t.r.mu.Lock()
	defer t.r.mu.Unlock()
	e, err := t.lookup("stat", name)
	if err != nil {
		return nil, err
	}
	size, err := t.size(e)
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	return t.info(e, size), nil
}

// readDir lists a tree sorted by name, as fs.ReadDir promises; git's own
// order differs for directories. Callers must hold r.mu.
func (t *treeFS) readDir(h plumbing.Hash) ([]fs.DirEntry, error) {
	tr, err := t.r.tree(h)
	if err != nil {
		return nil, err
	}
	ents := make([]fs.DirEntry, tr.len())
	for i := range ents {
		e := tr.entry(i)
		e.name = slices.Clone(e.name) // do not pin the cached tree
		ents[i] = &dirEntry{fs: t, e: e}
	}
	slices.SortFunc(ents, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return ents, nil
}

// size reads a blob's size, which git stores only in the object. Callers
// must hold r.mu.
func (t *treeFS) size(e entry) (int64, error) {
	if e.isDir() || e.mode == modeGitlink {
		return 0, nil
	}
	obj, err := t.r.st.EncodedObject(plumbing.BlobObject, e.hash)
	if err != nil {
		return 0, fmt.Errorf("read blob %s: %w", e.hash, err)
	}
	return obj.Size(), nil
}

func (t *treeFS) info(e entry, size int64) *fileInfo {
	return &fileInfo{name: string(e.name), mode: fileMode(e.mode), size: size, mod: t.mod}
}

// blob reads a whole blob; AIMS files are small YAML documents. A blob
// larger than the working tree's file limit is refused from its object
// header, before any of it is inflated (the storage reads such objects
// lazily, see Open). Callers must hold r.mu.
func (r *Repo) blob(h plumbing.Hash) ([]byte, error) {
	obj, err := r.st.EncodedObject(plumbing.BlobObject, h)
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	if obj.Size() > load.MaxFileBytes {
		return nil, fmt.Errorf("blob %s is larger than %d MiB: %w", h, load.MaxFileBytes>>20, load.ErrTooLarge)
	}
	rd, err := obj.Reader()
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	defer rd.Close()
	data, err := io.ReadAll(rd)
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	return data, nil
}

func fileMode(m uint32) fs.FileMode {
	switch m {
	case modeDir:
		return fs.ModeDir | 0o755
	case modeExec:
		return 0o755
	case modeSymlink:
		return fs.ModeSymlink | 0o777
	case modeGitlink:
		return fs.ModeIrregular
	default:
		return 0o644
	}
}

type fileInfo struct {
	name string
	mode fs.FileMode
	size int64
	mod  time.Time
}

func (i *fileInfo) Name() string       { return i.name }
func (i *fileInfo) Size() int64        { return i.size }
func (i *fileInfo) Mode() fs.FileMode  { return i.mode }
func (i *fileInfo) ModTime() time.Time { return i.mod }
func (i *fileInfo) IsDir() bool        { return i.mode.IsDir() }
func (i *fileInfo) Sys() any           { return nil }

type dirEntry struct {
	fs *treeFS
	e  entry
}

func (d *dirEntry) Name() string      { return string(d.e.name) }
func (d *dirEntry) IsDir() bool       { return d.e.isDir() }
func (d *dirEntry) Type() fs.FileMode { return fileMode(d.e.mode).Type() }

// Info reads the blob size lazily: a walk that only lists names should not
// pay for reading every object.
func (d *dirEntry) Info() (fs.FileInfo, error) {
	d.fs.r.mu.Lock()
	defer d.fs.r.mu.Unlock()
	size, err := d.fs.size(d.e)
	if err != nil {
		return nil, err
	}
	return d.fs.info(d.e, size), nil
}

type blobFile struct {
	info *fileInfo
	*bytes.Reader
}

func (f *blobFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *blobFile) Close() error               { return nil }

type dirFile struct {
	info *fileInfo
	ents []fs.DirEntry
	off  int
}

func (d *dirFile) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *dirFile) Close() error               { return nil }
func (d *dirFile) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.info.name, Err: pathProblem("is a directory")}
}

// ReadDir follows fs.ReadDirFile: n > 0 reads at most n entries and
// returns io.EOF at the end; n <= 0 returns the rest.
func (d *dirFile) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.ents[d.off:]
	if n <= 0 {
		d.off = len(d.ents)
		return rest, nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(rest))
	d.off += n
	return rest[:n], nil
}
