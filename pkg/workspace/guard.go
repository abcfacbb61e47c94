package workspace

import (
	"io/fs"
	"sync"

	"github.com/aims-dev/aims/pkg/load"
)

// guardFS passes every call to the AIMS's file system and remembers the
// first failure to read the storage itself (a corrupt or truncated git
// object). Stages such as reference checks only ask "does this file exist?";
// without the guard a corrupt repository would read as missing files, that
// is as findings, and a diff would invent changes.
type guardFS struct {
	fsys fs.FS
	mu   sync.Mutex
	err  error
	// lstat remembers each path's Lstat for the run: references, evidence
	// rules and digests all ask about the same evidence files, and each
	// Lstat through an os.Root opens every folder on the path again.
	lstat sync.Map // name -> lstatResult
	// direct: the file system answers Lstat from memory already (a
	// Resident's), and remembering would only cost.
	direct bool
}

type lstatResult struct {
	info fs.FileInfo
	err  error
}

var (
	_ fs.ReadDirFS  = (*guardFS)(nil)
	_ fs.ReadFileFS = (*guardFS)(nil)
	_ fs.StatFS     = (*guardFS)(nil)
	_ fs.ReadLinkFS = (*guardFS)(nil)
)

func (g *guardFS) check(err error) {
	if err == nil || load.FileProblem(err) {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.err == nil {
		g.err = err
	}
}

// Err is the first storage failure met so far.
func (g *guardFS) Err() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.err
}

func (g *guardFS) Open(name string) (fs.File, error) {
	f, err := g.fsys.Open(name)
	g.check(err)
	return f, err
}

func (g *guardFS) ReadDir(name string) ([]fs.DirEntry, error) {
	ents, err := fs.ReadDir(g.fsys, name)
	g.check(err)
	return ents, err
}

func (g *guardFS) ReadFile(name string) ([]byte, error) {
	b, err := fs.ReadFile(g.fsys, name)
	g.check(err)
	return b, err
}

func (g *guardFS) Stat(name string) (fs.FileInfo, error) {
	st, err := fs.Stat(g.fsys, name)
	g.check(err)
	return st, err
}

func (g *guardFS) Lstat(name string) (fs.FileInfo, error) {
	if g.direct {
		st, err := fs.Lstat(g.fsys, name)
		g.check(err)
		return st, err
	}
	if r, ok := g.lstat.Load(name); ok {
		return r.(lstatResult).info, r.(lstatResult).err
	}
	st, err := fs.Lstat(g.fsys, name)
	g.check(err)
	if err == nil || load.FileProblem(err) {
		g.lstat.Store(name, lstatResult{st, err})
	}
	return st, err
}

func (g *guardFS) ReadLink(name string) (string, error) {
	s, err := fs.ReadLink(g.fsys, name)
	g.check(err)
	return s, err
}
