package load

import (
	"slices"
	"sync"

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
	mu   sync.Mutex
	m    map[cache.Key]*memoEntry
	load int // the current load, counted from 1
}

type memoEntry struct {
	r    fileResult
	used int // the last load that used it
}

// NewMemo returns an empty Memo.
func NewMemo() *Memo { return &Memo{m: map[cache.Key]*memoEntry{}} }

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
		if e.used != m.load {
			delete(m.m, k)
		}
	}
}

// get is the parse kept under k. Its lists are the caller's to append to;
// its documents are shared with every load that got them.
func (m *Memo) get(k cache.Key) (fileResult, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.m[k]
	if !ok {
		return fileResult{}, false
	}
	e.used = m.load
	r := e.r
	r.docs, r.diags, r.undeclared = slices.Clip(r.docs), slices.Clip(r.diags), slices.Clip(r.undeclared)
	return r, true
}

func (m *Memo) put(k cache.Key, r fileResult) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r.docs, r.diags, r.undeclared = slices.Clip(r.docs), slices.Clip(r.diags), slices.Clip(r.undeclared)
	m.m[k] = &memoEntry{r: r, used: m.load}
}
