package workspace

import (
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// dirFS reads the AIMS folder with the guarantees of os.Root (no symlink and
// no ".." leaves it), but resolves each folder once per run. An os.Root
// resolves every path from its top, opening each folder on the way for
// every call: the walk of a 10,000-document AIMS reopened 4,400 folders from
// the top and every evidence lookup did the same, a fifth of a warm
// pre-commit run. dirFS keeps an os.Root opened at each folder it meets
// (from the root opened at its parent, so it cannot be outside the AIMS) and
// asks it about the last path element only.
//
// Answers are those of the top os.Root: a folder is given a root of its own
// only when Lstat shows a real folder (not a link), so a path resolved from
// there resolves as it would from the top, and any failure is asked again
// of the top root, whose answer (and error text) is returned. A link that
// leaves the folder for elsewhere in the AIMS fails from the folder's root
// and succeeds from the top, as it would have before.
//
// What the walk (ReadDir) learnt of each entry answers Lstat for the rest of
// the run: references, evidence rules and digests ask about files the walk
// has just listed. Like the rest of a run, this assumes the AIMS does not
// change while it is being checked.
type dirFS struct {
	top  *os.Root
	topF fs.FS

	mu   sync.Mutex
	dirs map[string]*os.Root // folder -> a root opened at it; nil: use the top

	// listed keeps each folder's listing (sorted by name) from ReadDir:
	// one entry per folder, not per file, since storing 20,000 paths (each
	// joined anew) was a tenth of the walk.
	listed sync.Map // folder -> []fs.DirEntry

	fd  dirFDs     // Linux: folders listed through descriptors (dirfs_linux.go)
	ofd dirFDs     // and files opened through descriptors of their own
	pre prefetcher // Linux: folders listed ahead of the walk (prefetch_linux.go)
	// prefetched counts the listings the walk took from pre.
	prefetched atomic.Int64
}

// prefetchAfter is how many folders the walk lists before folders are
// listed ahead of it (Linux, prefetch_linux.go). A small AIMS (the
// examples have 10 and 27) is walked in a few milliseconds either way (the
// example's check took the same time with and without), so it is walked
// as it always was, and only a large one starts a second lister.
var prefetchAfter = 64

// maxDirs bounds the folders kept open at once (each holds a descriptor).
// Past it all are closed and reopened as needed: the walk is depth first,
// so only the folders above the current one are needed again.
var maxDirs = 512

var (
	_ fs.ReadDirFS  = (*dirFS)(nil)
	_ fs.ReadFileFS = (*dirFS)(nil)
	_ fs.StatFS     = (*dirFS)(nil)
	_ fs.ReadLinkFS = (*dirFS)(nil)
)

func newDirFS(r *os.Root) *dirFS {
	return &dirFS{top: r, topF: r.FS(), dirs: map[string]*os.Root{}}
}

// Close closes every root the run opened, the top one included.
func (d *dirFS) Close() error {
	d.closeFDs()
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, r := range d.dirs {
		if r != nil {
			r.Close()
		}
	}
	clear(d.dirs)
	return d.top.Close()
}

// dir is a root opened at folder name (a valid fs path), or nil when there
// is none to use: name is not a real folder, or cannot be opened.
func (d *dirFS) dir(name string) *os.Root {
	if name == "." {
		return d.top
	}
	d.mu.Lock()
	r, ok := d.dirs[name]
	d.mu.Unlock()
	if ok {
		return r
	}
	parent := d.dir(path.Dir(name))
	if parent != nil {
		base := path.Base(name)
		e, isDir := d.listedEntry(name) // the walk has just listed it
		if isDir {
			isDir = e.IsDir()
		} else if st, err := parent.Lstat(base); err == nil {
			isDir = st.IsDir()
		}
		if isDir {
			r, _ = parent.OpenRoot(base) // nil on failure: the top root answers
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if old, ok := d.dirs[name]; ok {
		// Another goroutine opened it meanwhile: keep one.
		if r != nil {
			r.Close()
		}
		return old
	}
	if len(d.dirs) >= maxDirs {
		// A root closed while another goroutine uses it makes that call
		// fail, and the top root answers it instead.
		for _, r := range d.dirs {
			if r != nil {
				r.Close()
			}
		}
		clear(d.dirs)
	}
	d.dirs[name] = r
	return r
}

// splitName splits a valid fs path into its folder ("." at the top) and
// its last element.
func splitName(name string) (folder, base string) {
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		return name[:i], name[i+1:]
	}
	return ".", name
}

// split gives the root of name's folder and name's last element; false when
// the top root must answer (the root itself, an invalid path, a folder that
// is a link).
func (d *dirFS) split(name string) (*os.Root, string, bool) {
	if name == "." || !fs.ValidPath(name) {
		return nil, "", false
	}
	folder, base := splitName(name)
	r := d.dir(folder)
	return r, base, r != nil
}

func (d *dirFS) Open(name string) (fs.File, error) {
	if f, ok := d.fastOpen(name); ok {
		return f, nil
	}
	if r, base, ok := d.split(name); ok {
		if f, err := r.Open(base); err == nil {
			return f, nil
		}
	}
	return d.topF.Open(name)
}

func (d *dirFS) ReadFile(name string) ([]byte, error) {
	if f, ok := d.fastOpen(name); ok {
		b, err := io.ReadAll(f)
		f.Close()
		if err == nil {
			return b, nil
		}
	}
	if r, base, ok := d.split(name); ok {
		if b, err := fs.ReadFile(r.FS(), base); err == nil {
			return b, nil
		}
	}
	return fs.ReadFile(d.topF, name)
}

func (d *dirFS) ReadDir(name string) ([]fs.DirEntry, error) {
	ents, err := d.readDir(name)
	if err != nil {
		return ents, err
	}
	if fs.ValidPath(name) {
		listing := slices.Clone(ents) // the caller may reorder its copy
		byName := func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) }
		if !slices.IsSortedFunc(listing, byName) { // listedEntry searches it
			slices.SortFunc(listing, byName)
		}
		d.listed.Store(name, listing)
	}
	return ents, nil
}

// listedEntry is what the walk listed of name, if it listed its folder.
func (d *dirFS) listedEntry(name string) (fs.DirEntry, bool) {
	if name == "." || !fs.ValidPath(name) {
		return nil, false
	}
	folder, base := splitName(name)
	v, ok := d.listed.Load(folder)
	if !ok {
		return nil, false
	}
	ents := v.([]fs.DirEntry)
	i, ok := slices.BinarySearchFunc(ents, base, func(e fs.DirEntry, base string) int { return strings.Compare(e.Name(), base) })
	if !ok {
		return nil, false
	}
	return ents[i], true
}

func (d *dirFS) readDir(name string) ([]fs.DirEntry, error) {
	if fs.ValidPath(name) {
		if ents, ok := d.fastReadDir(name); ok {
			return ents, nil
		}
		if r := d.dir(name); r != nil && r != d.top {
			if ents, err := fs.ReadDir(r.FS(), "."); err == nil {
				return ents, nil
			}
		}
	}
	return fs.ReadDir(d.topF, name)
}

func (d *dirFS) Lstat(name string) (fs.FileInfo, error) {
	if e, ok := d.listedEntry(name); ok {
		// An os.Root lists a folder with each entry's Lstat already made.
		if info, err := e.Info(); err == nil {
			return info, nil
		}
	}
	if r, base, ok := d.split(name); ok {
		if info, err := r.Lstat(base); err == nil {
			return info, nil
		}
	}
	return fs.Lstat(d.topF, name)
}

func (d *dirFS) Stat(name string) (fs.FileInfo, error) {
	if r, base, ok := d.split(name); ok {
		if info, err := r.Stat(base); err == nil {
			return info, nil
		}
	}
	return fs.Stat(d.topF, name)
}

func (d *dirFS) ReadLink(name string) (string, error) {
	if r, base, ok := d.split(name); ok {
		if s, err := r.Readlink(base); err == nil {
			return s, nil
		}
	}
	return fs.ReadLink(d.topF, name)
}
