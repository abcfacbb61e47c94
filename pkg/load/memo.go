package load

import (
	"io/fs"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/aims-dev/aims/pkg/cache"
)

// Memo keeps each file's parse in memory between loads of the same AIMS
// by a long-lived process (aims server), by the file's identity on disk
// as the cache knows it (see cache.Identity): a file unchanged since the
// last load is neither read nor decoded again, and its documents are the
// same *Document values as last time, so what a caller derived from them
// (their schema results, their typed structs) can be kept too.
//
// It holds what Load would take from the cache, under the same key, so a
// load with a Memo finds what one without finds. Entries a load did not
// use are dropped when it ends: a Memo holds about one AIMS.
type Memo struct {
	mu   sync.RWMutex
	m    map[cache.Key]*memoEntry
	load int // the current load, counted from 1
	// keys are the identity keys last computed, by file, with the Lstat
	// and place they were computed from: given the very same Lstat value
	// (a listing kept by the caller, see workspace.Resident), the key is
	// the same, and not hashed again.
	keys map[string]keyed
}

type keyed struct {
	info     fs.FileInfo
	included bool
	sk       cache.Key
}

// key is the identity key of file p kept for info, if any.
func (m *Memo) key(p string, info fs.FileInfo, included bool) (cache.Key, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	k, ok := m.keys[p]
	if !ok || k.info != info || k.included != included {
		return cache.Key{}, false
	}
	return k.sk, true
}

func (m *Memo) keepKey(p string, info fs.FileInfo, included bool, sk cache.Key) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.keys[p] = keyed{info, included, sk}
}

type memoEntry struct {
	r    fileResult
	used atomic.Int64 // the last load that used it
}

// NewMemo returns an empty Memo.
func NewMemo() *Memo { return &Memo{m: map[cache.Key]*memoEntry{}, keys: map[string]keyed{}} }

// Len is how many files the Memo holds.
func (m *Memo) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.m)
}

func (m *Memo) begin() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.load++
}

// end drops what the load that ends did not use.
func (m *Memo) end() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k, e := range m.m {
		if e.used.Load() != int64(m.load) {
			delete(m.m, k)
		}
	}
	for p, k := range m.keys {
		if _, ok := m.m[k.sk]; !ok {
			delete(m.keys, p)
		}
	}
}

// get is the parse kept under k. Its lists are the caller's to append to;
// its documents are shared with every load that got them.
func (m *Memo) get(k cache.Key) (fileResult, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	e, ok := m.m[k]
	if !ok {
		return fileResult{}, false
	}
	e.used.Store(int64(m.load))
	r := e.r
	r.docs, r.diags, r.undeclared = slices.Clip(r.docs), slices.Clip(r.diags), slices.Clip(r.undeclared)
	return r, true
}

func (m *Memo) put(k cache.Key, r fileResult) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r.docs, r.diags, r.undeclared = slices.Clip(r.docs), slices.Clip(r.diags), slices.Clip(r.undeclared)
	e := &memoEntry{r: r}
	e.used.Store(int64(m.load))
	m.m[k] = e
}
