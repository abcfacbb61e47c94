package workspace

import (
	"errors"
	"path"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/aims-dev/aims/pkg/gap"
)

// ahead is the evidence files read ahead of the analysis (ReadAhead): the
// analysis asks for them one by one, in an order it knows beforehand, and
// reading each (or finding its digest in the cache) was an eighth of the
// analysis of 10,000 documents, on a core while the other one idled.
type ahead struct {
	mu    sync.Mutex
	files map[string]*fileAhead
	stop  atomic.Bool
	wg    sync.WaitGroup
}

// errStopped marks a file not read because Close stopped reading ahead.
var errStopped = errors.New("reading ahead stopped")

type fileAhead struct {
	done chan struct{}
	file gap.File
	err  error
}

// ReadAhead starts reading the files at paths (slash paths relative to the
// AIMS root, as FileDigest takes them) in that order on another goroutine,
// so that FileDigest answers them without reading them then
// (gap.Options.ReadAhead). Only a folder on disk is read ahead, and only
// with a second core: a git revision's objects are read by one goroutine
// at a time. Close stops it.
func (w *Workspace) ReadAhead(paths []string) {
	if w.disk == "" || runtime.GOMAXPROCS(0) < 2 {
		return
	}
	a := &w.ahead
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.files == nil {
		a.files = map[string]*fileAhead{}
	}
	var order []string
	var todo []*fileAhead
	for _, p := range paths {
		p = path.Clean(strings.TrimPrefix(p, "./"))
		if _, ok := a.files[p]; ok {
			continue
		}
		f := &fileAhead{done: make(chan struct{})}
		a.files[p] = f
		order, todo = append(order, p), append(todo, f)
	}
	if len(order) == 0 {
		return
	}
	a.wg.Go(func() {
		for i, p := range order {
			f := todo[i]
			if !a.stop.Load() {
				f.file, f.err = w.digest(p)
			} else {
				f.err = errStopped
			}
			close(f.done)
		}
	})
}

// readAhead is what ReadAhead read of p, once it has; false when p was not
// asked for, or was read ahead only to be stopped by Close.
func (w *Workspace) readAhead(p string) (gap.File, error, bool) {
	a := &w.ahead
	a.mu.Lock()
	f, ok := a.files[p]
	a.mu.Unlock()
	if !ok {
		return gap.File{}, nil, false
	}
	<-f.done
	if f.err == errStopped {
		return gap.File{}, nil, false
	}
	return f.file, f.err, true
}

// close stops reading ahead and waits for the file being read.
func (a *ahead) close() {
	a.stop.Store(true)
	a.wg.Wait()
}
