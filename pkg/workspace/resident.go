package workspace

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/cache"
	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/gap"
	"github.com/aims-dev/aims/pkg/link"
	"github.com/aims-dev/aims/pkg/load"
	"github.com/aims-dev/aims/pkg/vcs"
	"github.com/aims-dev/aims/pkg/watch"
)

// ErrNotResident means a run asked a Resident for another AIMS than the
// one it keeps.
var ErrNotResident = errors.New("not the AIMS kept in memory")

// ErrEventsLost means the file events can no longer be trusted (the AIMS
// folder moved or went, its folders could not be watched again): the
// Resident must be closed.
var ErrEventsLost = errors.New("file events lost")

// Resident keeps one AIMS's working tree in memory between runs of a
// long-lived process (aims server), told by file events (package watch)
// what changed since the run before: a folder where nothing changed is not
// listed again, nor its files stat'ed, and a file unchanged is neither read
// nor decoded (load.Memo); its documents keep their schema results and
// typed structs, and a result file its parsed result. Each run still
// builds the model, checks every reference and runs every rule over every
// document, as a run without it does, so its findings are the same.
//
// What the events cannot tell is never taken from memory: a folder
// created, moved or removed, or events lost, drops every listing; a file
// changed within the cache's racy window is read, as it would be by a
// plain run; and the files a run names (the ones pre-commit passes) are
// stat'ed again whatever the events said.
type Resident struct {
	root  string // absolute, as Locate gives it
	watch *watch.Watcher
	store *cache.Store
	memo  *load.Memo
	links *link.Memo

	mu   sync.Mutex // one run at a time
	runs int

	lmu      sync.RWMutex
	listings map[string][]fs.DirEntry // folder -> its listing, sorted, each file's Lstat made
	files    map[string]fs.FileInfo   // every file (not folder) in those listings, by path
	// checks and results are what the last run derived from each
	// document it loaded and each result file it read; a run reads them
	// and replaces them with its own.
	checks  map[*load.Document]*docCheck
	results map[cache.Key]resultRead

	dmu     sync.Mutex
	digests map[string]digestKept // evidence file -> its digest

	// In git: the history of the commit checked out (HEAD), and what it
	// says about each approved document kept, until HEAD moves.
	hmu       sync.Mutex
	head      string // commit hash and AIMS prefix
	prov      vcs.Provenance
	approvals map[*load.Document]gap.ApprovalRecord
}

// digestKept is an evidence file's digest, with the Lstat it was read
// under: the very value its folder's listing holds, as long as nothing
// changed in that folder.
type digestKept struct {
	info fs.FileInfo
	f    gap.File
	run  int // the last run that used it
}

// resultRead is what reading one result file gave (see readResults).
type resultRead struct {
	diags  diag.List
	result *aims.Result
}

// NewResident watches the AIMS at root (the folder holding aims.yaml) and
// keeps its runs' parses in store (nil: in memory only). The first Open
// loads it whole.
func NewResident(root string, store *cache.Store) (*Resident, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	w, err := watch.New(abs, load.SkipDir)
	if err != nil {
		return nil, err
	}
	return &Resident{root: abs, watch: w, store: store, memo: load.NewMemo(), links: link.NewMemo(), listings: map[string][]fs.DirEntry{}, files: map[string]fs.FileInfo{}, digests: map[string]digestKept{}}, nil
}

// Root is the AIMS root kept.
func (r *Resident) Root() string { return r.root }

// Runs counts the runs opened.
func (r *Resident) Runs() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.runs
}

// Folders is how many folders are watched.
func (r *Resident) Folders() int { return r.watch.Folders() }

// Flush writes what the runs since the last Flush added to the cache, for
// runs without the Resident; a run does not, so that it answers sooner.
func (r *Resident) Flush() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.store.Flush()
}

// Close stops watching.
func (r *Resident) Close() error { return r.watch.Close() }

// Open is OpenAt(start, "", opts...) for the AIMS kept, answered from
// memory wherever nothing changed. changed are files (absolute or relative
// to start) the caller knows may have changed. Errors: ErrNotResident when
// start leads to another AIMS; ErrEventsLost when the events can no longer
// be trusted, and the Resident must be closed; else OpenAt's.
func (r *Resident) Open(start string, changed []string, opts ...Option) (*Workspace, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, err := r.watch.Changes()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrEventsLost, err)
	}
	r.lmu.Lock()
	if c.Reset {
		clear(r.listings)
		clear(r.files)
	}
	for _, f := range c.Files {
		r.forget(watch.Folder(f))
	}
	for _, f := range changed {
		if !filepath.IsAbs(f) {
			f = filepath.Join(start, f)
		}
		if rel, err := filepath.Rel(r.root, f); err == nil && !strings.HasPrefix(rel, "..") {
			r.forget(watch.Folder(filepath.ToSlash(rel)))
		}
	}
	r.lmu.Unlock()
	root, err := Locate(start)
	if err != nil {
		return nil, err
	}
	if abs, err := filepath.Abs(root); err != nil || abs != r.root {
		return nil, fmt.Errorf("%w: %s is in %s, this process keeps %s", ErrNotResident, start, root, r.root)
	}
	r.runs++
	r.dmu.Lock()
	for p, k := range r.digests {
		if k.run < r.runs-1 { // not used by the run before
			delete(r.digests, p)
		}
	}
	r.dmu.Unlock()
	return OpenAt(start, "", append(opts, WithCache(r.store), func(c *config) { c.res = r })...)
}

// forget drops folder's listing. Called with lmu held.
func (r *Resident) forget(folder string) {
	for _, e := range r.listings[folder] {
		delete(r.files, joinName(folder, e.Name()))
	}
	delete(r.listings, folder)
}

// joinName is path.Join for a folder and a name read from its listing.
func joinName(folder, name string) string {
	if folder == "." {
		return name
	}
	return folder + "/" + name
}

// file is the Lstat of file name kept from its folder's listing, if
// nothing changed in that folder since.
func (r *Resident) file(name string) (fs.FileInfo, bool) {
	r.lmu.RLock()
	defer r.lmu.RUnlock()
	info, ok := r.files[name]
	return info, ok
}

// listing is folder's listing as last read, if nothing changed in it since.
func (r *Resident) listing(folder string) ([]fs.DirEntry, bool) {
	r.lmu.RLock()
	defer r.lmu.RUnlock()
	ents, ok := r.listings[folder]
	return ents, ok
}

// keep records folder's listing, when its folder is watched. A folder's
// entry is kept by name and type only (the walk asks no more of it); a
// file's with the Lstat made when it was listed.
func (r *Resident) keep(folder string, ents []fs.DirEntry) {
	if !r.watch.Watched(folder) {
		return
	}
	kept := make([]fs.DirEntry, len(ents))
	for i, e := range ents {
		if e.IsDir() {
			kept[i] = residentDir{name: e.Name(), path: filepath.Join(r.root, filepath.FromSlash(folder), e.Name())}
			continue
		}
		info, err := e.Info()
		if err != nil {
			return // gone since it was listed: list the folder again next time
		}
		kept[i] = fs.FileInfoToDirEntry(info)
	}
	slices.SortFunc(kept, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	r.lmu.Lock()
	defer r.lmu.Unlock()
	r.forget(folder)
	r.listings[folder] = kept
	for _, e := range kept {
		if !e.IsDir() {
			info, _ := e.Info()
			r.files[joinName(folder, e.Name())] = info
		}
	}
}

// digest is the digest of evidence file p kept from an earlier run, while
// p's listing is the one it was read under. A nil Resident has none.
func (r *Resident) digest(fsys fs.FS, p string) (gap.File, bool) {
	if r == nil {
		return gap.File{}, false
	}
	info, err := fs.Lstat(fsys, p)
	if err != nil {
		return gap.File{}, false
	}
	r.dmu.Lock()
	defer r.dmu.Unlock()
	k, ok := r.digests[p]
	if !ok || k.info != info {
		return gap.File{}, false
	}
	k.run = r.runs
	r.digests[p] = k
	return k.f, true
}

// keepDigest keeps the digest f of evidence file p (whose identity on
// disk the cache could use: not changed within its racy window).
func (r *Resident) keepDigest(fsys fs.FS, p string, f gap.File) {
	if r == nil {
		return
	}
	info, err := fs.Lstat(fsys, p)
	if err != nil {
		return
	}
	if _, ok := r.file(p); !ok {
		return // not from a listing kept: a new value every run
	}
	r.dmu.Lock()
	defer r.dmu.Unlock()
	r.digests[p] = digestKept{info: info, f: f, run: r.runs}
}

// history is the provenance of commit (for the AIMS at prefix), if a run
// on the same commit computed it.
func (r *Resident) history(commit, prefix string) (vcs.Provenance, bool) {
	if r == nil || commit == "" {
		return vcs.Provenance{}, false
	}
	r.hmu.Lock()
	defer r.hmu.Unlock()
	if r.head != commit+"\x00"+prefix || r.prov.Files == nil {
		return vcs.Provenance{}, false
	}
	return r.prov, true
}

// keepHistory keeps the provenance of commit, forgetting what was kept for
// another.
func (r *Resident) keepHistory(commit, prefix string, p vcs.Provenance) {
	if r == nil || commit == "" {
		return
	}
	r.hmu.Lock()
	defer r.hmu.Unlock()
	r.sameHead(commit, prefix)
	r.prov = p
}

// sameHead forgets what was kept for another commit. Called with hmu held.
func (r *Resident) sameHead(commit, prefix string) {
	if h := commit + "\x00" + prefix; h != r.head {
		r.head, r.prov, r.approvals = h, vcs.Provenance{}, map[*load.Document]gap.ApprovalRecord{}
	}
}

// approval is what the history of commit says about document d's
// approval, if a run on the same commit found it for the same document:
// it depends only on the document (the same value: unchanged) and on the
// commits that changed its file.
func (r *Resident) approval(commit string, d *load.Document) (gap.ApprovalRecord, bool) {
	if r == nil || commit == "" {
		return gap.ApprovalRecord{}, false
	}
	r.hmu.Lock()
	defer r.hmu.Unlock()
	if !strings.HasPrefix(r.head, commit+"\x00") {
		return gap.ApprovalRecord{}, false
	}
	rec, ok := r.approvals[d]
	return rec, ok
}

// keepApprovals keeps what the history of commit says about the approved
// documents of a run, in place of what was kept before.
func (r *Resident) keepApprovals(commit string, recs map[*load.Document]gap.ApprovalRecord) {
	if r == nil || commit == "" {
		return
	}
	r.hmu.Lock()
	defer r.hmu.Unlock()
	if !strings.HasPrefix(r.head, commit+"\x00") {
		return // kept with that commit's history only
	}
	r.approvals = recs
}

// checked is what the last run derived from document d, if it loaded it.
func (r *Resident) checked(d *load.Document) *docCheck { return r.checks[d] }

// residentDir is a folder's entry in a listing kept by a Resident.
type residentDir struct{ name, path string }

func (e residentDir) Name() string               { return e.name }
func (e residentDir) IsDir() bool                { return true }
func (e residentDir) Type() fs.FileMode          { return fs.ModeDir }
func (e residentDir) Info() (fs.FileInfo, error) { return os.Lstat(e.path) }

// residentFS answers listings, and the Lstat of the files in them, from
// what the Resident keeps, and everything else from the folder itself.
type residentFS struct {
	r *Resident
	d *dirFS
}

var (
	_ fs.ReadDirFS  = (*residentFS)(nil)
	_ fs.ReadFileFS = (*residentFS)(nil)
	_ fs.StatFS     = (*residentFS)(nil)
	_ fs.ReadLinkFS = (*residentFS)(nil)
)

func (f *residentFS) Open(name string) (fs.File, error)    { return f.d.Open(name) }
func (f *residentFS) ReadFile(name string) ([]byte, error) { return f.d.ReadFile(name) }
func (f *residentFS) ReadLink(name string) (string, error) { return f.d.ReadLink(name) }
func (f *residentFS) Close() error                         { return f.d.Close() }

// ReadDir answers a listing kept as it is: the walk reads it and never
// changes it (a copy of each was a fifth of the walk).
func (f *residentFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if ents, ok := f.r.listing(name); ok {
		return slices.Clip(ents), nil
	}
	ents, err := f.d.ReadDir(name)
	if err == nil && fs.ValidPath(name) {
		f.r.keep(name, ents)
	}
	return ents, err
}

// Lstat answers a file in a listing kept; a folder, a name not listed and
// anything else are asked of the folder itself.
func (f *residentFS) Lstat(name string) (fs.FileInfo, error) {
	if info, ok := f.r.file(name); ok {
		return info, nil
	}
	return f.d.Lstat(name)
}

// Stat is Lstat for a regular file kept (there is no link to follow).
func (f *residentFS) Stat(name string) (fs.FileInfo, error) {
	if info, ok := f.r.file(name); ok && info.Mode().IsRegular() {
		return info, nil
	}
	return f.d.Stat(name)
}
