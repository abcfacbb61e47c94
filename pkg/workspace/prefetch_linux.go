//go:build linux

package workspace

import (
	"io/fs"
	"path"
	"runtime"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// prefetch lists folders ahead of the walk on a goroutine of its own. The
// walk is one goroutine's system calls, folder after folder, and in a
// large AIMS most folders hold evidence files that give the workers
// nothing to parse, so while the walk went through them (75 ms of a warm
// pre-commit run on 10,000 documents) the second core was idle.
//
// Every folder listed, by the walk or here, puts its subfolders on a
// stack; the prefetcher lists the top one, so it starts from the last
// subfolder of the folder the walk has just listed and moves backwards
// while the walk moves forwards: the two meet in the middle. The walk takes
// a listing made here instead of making it (take). Each folder is listed
// once, by whichever of the two gets to it first; a walk that reaches a
// folder being listed here waits for that listing. Listings are made as
// fastReadDir makes them; a folder is opened from the top with openat2
// refusing any link on the way (RESOLVE_NO_SYMLINKS, RESOLVE_BENEATH), so
// no link is ever followed; where that call is missing (before Linux 5.6)
// or refused (a sandbox), the walk lists everything itself, as before.
// Folders the walk skips (skip) are never listed.
type prefetch struct {
	d    *dirFS
	skip func(name string) bool

	mu      sync.Mutex
	changed sync.Cond // a listing is done, a folder to list is found, or stop
	folders map[string]*fetched
	stack   []string // folders to list, the next on top
	listed  int      // folders the walk listed itself
	started bool     // run is running, or has run
	stopped bool

	done chan struct{}
}

// prefetcher holds the prefetch of a run's walk, while there is one.
type prefetcher = atomic.Pointer[prefetch]

// fetched is one folder as the two listers see it.
type fetched struct {
	state fetchState
	ents  []fs.DirEntry // when listed here, until taken
}

type fetchState uint8

const (
	fetchListing fetchState = iota // being listed here
	fetchListed                    // listed here, not yet taken
	fetchFailed                    // it could not be: the walk lists it
	fetchWalked                    // the walk's: listed there, or taken
)

// startPrefetch sets up listing folders ahead of the walk, skipping those
// for which skip (the walk's rule, given a folder's name) is true. It
// starts listing once the walk has listed prefetchAfter folders, and never
// on one core. stop ends it; listings not taken are let go.
func (d *dirFS) startPrefetch(skip func(name string) bool) (stop func()) {
	if runtime.GOMAXPROCS(0) < 2 {
		return func() {} // one core: the two would only take turns
	}
	p := &prefetch{d: d, skip: skip, folders: map[string]*fetched{}, done: make(chan struct{})}
	p.changed.L = &p.mu
	d.pre.Store(p)
	return func() {
		p.mu.Lock()
		p.stopped = true
		started := p.started
		clear(p.folders)
		p.stack = nil
		p.mu.Unlock()
		p.changed.Broadcast()
		if started {
			<-p.done
		}
		d.pre.CompareAndSwap(p, nil)
	}
}

// take is the prefetched listing of folder name, if there is one; false
// tells the caller to list the folder itself (and then call walked), which
// the prefetcher will then not do.
func (p *prefetch) take(name string) ([]fs.DirEntry, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return nil, false
	}
	f := p.folders[name]
	if f == nil {
		p.folders[name] = &fetched{state: fetchWalked}
		return nil, false
	}
	for f.state == fetchListing && !p.stopped {
		p.changed.Wait()
	}
	if f.state != fetchListed {
		return nil, false
	}
	ents := f.ents
	f.state, f.ents = fetchWalked, nil
	return ents, true
}

// walked hands the prefetcher the subfolders of a folder the walk listed,
// and starts it once the walk has listed prefetchAfter folders.
func (p *prefetch) walked(name string, ents []fs.DirEntry) {
	p.mu.Lock()
	if !p.stopped {
		p.push(name, ents)
		p.listed++
		if !p.started && p.listed >= prefetchAfter {
			p.started = true
			go p.run()
		}
	}
	p.mu.Unlock()
	p.changed.Broadcast()
}

// push puts the subfolders of folder name on the stack, in order, so the
// last is listed first. Called with p.mu held.
func (p *prefetch) push(name string, ents []fs.DirEntry) {
	for _, e := range ents {
		if e.IsDir() && !p.skip(e.Name()) {
			p.stack = append(p.stack, path.Join(name, e.Name()))
		}
	}
}

// next is the folder to list next, claimed for this goroutine; false once
// stopped.
func (p *prefetch) next() (string, *fetched, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for !p.stopped {
		if len(p.stack) == 0 {
			p.changed.Wait()
			continue
		}
		name := p.stack[len(p.stack)-1]
		p.stack = p.stack[:len(p.stack)-1]
		if p.folders[name] != nil {
			continue // the walk has it
		}
		f := &fetched{state: fetchListing}
		p.folders[name] = f
		return name, f, true
	}
	return "", nil, false
}

func (p *prefetch) run() {
	defer close(p.done)
	root, ok := p.d.rootFD()
	if !ok {
		return
	}
	defer unix.Close(root)
	buf := make([]byte, 32<<10)
	for {
		name, f, ok := p.next()
		if !ok {
			return
		}
		ents, ok, gone := p.list(root, name, buf)
		p.mu.Lock()
		f.state = fetchFailed
		if ok {
			f.state, f.ents = fetchListed, ents
			if !p.stopped {
				p.push(name, ents)
			}
		}
		p.mu.Unlock()
		p.changed.Broadcast()
		if gone {
			return // no openat2 here: the walk lists the rest
		}
	}
}

// list lists folder name, opened from the top folder (root) without
// following any link. gone is true when the kernel cannot open it that
// way: no openat2 (ENOSYS, before Linux 5.6), flags it does not know
// (EINVAL), or a sandbox that refuses the call (EPERM: no open of a folder
// fails so otherwise). Any other failure (a link on the way, a folder
// that cannot be read) leaves that folder to the walk.
func (p *prefetch) list(root int, name string, buf []byte) (ents []fs.DirEntry, ok, gone bool) {
	how := &unix.OpenHow{
		Flags:   unix.O_RDONLY | unix.O_DIRECTORY | unix.O_CLOEXEC,
		Resolve: unix.RESOLVE_NO_SYMLINKS | unix.RESOLVE_BENEATH,
	}
	var fd int
	var err error
	for {
		fd, err = unix.Openat2(root, name, how)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		return nil, false, err == unix.ENOSYS || err == unix.EINVAL || err == unix.EPERM
	}
	defer unix.Close(fd)
	ents, ok = p.d.entries(fd, name, buf)
	return ents, ok, false
}
