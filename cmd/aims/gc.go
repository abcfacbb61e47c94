package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
)

// aims paces the garbage collector in one of two modes, unless the user
// sets GOGC or GOMEMLIMIT. Measurements are in README, Performance.
//
// Fast, for a run answered mostly from the cache such as pre-commit after
// an edit, and for report and export (fast): no collection until the
// process holds fastFloor, then GOGC
// fastPercent. A check is a short-lived process whose heap stays live
// until it exits, so collecting on the way is wasted work: a warm run of
// 10,000 documents allocates about 125 MB and finishes without a
// collection; past the floor, GOGC 200 spent 11 % less CPU than 100.
//
// Budgeted, once a run has parsed leanAfter files (a first run, or one
// without the cache): what it holds grows with the AIMS, so from
// leanFloor on, after every collection, GOGC is set so that the heap may
// grow to the run's budget of budgetPerFile per file where documents live
// (the AIMS's size once the walk has listed it, the files parsed until
// then; less what the process holds besides its heap), given what is
// live, and no less than leanPercent. A fixed GOGC low enough for 10,000
// documents (40) collected half as often again as needed at 50,000, where
// the binary and the runtime weigh less per document.
const (
	fastFloor   = 256 << 20
	fastPercent = 200

	leanAfter     = 1000
	leanFloor     = 64 << 20
	leanPercent   = 35
	budgetPerFile = 9 << 10  // the peak the process aims at, per file where documents live
	budgetFixed   = 20 << 20 // the binary's pages and the runtime's own memory, outside the heap
)

// budgetPercent is the GOGC that lets a heap with live bytes live grow to
// the budget of files parsed files (never less than leanFloor): the
// heap's share of the budget, less a fifth for its fragmentation, over
// what is live; never below leanPercent nor above fastPercent.
func budgetPercent(files, live int64) int {
	heap := max(files*budgetPerFile-budgetFixed, leanFloor) * 4 / 5
	if live <= 0 {
		return fastPercent
	}
	return int(min(max(heap*100/live-100, leanPercent), fastPercent))
}

// gc is the process's collector policy.
var gc gcPolicy

type gcPolicy struct {
	mu       sync.Mutex
	on       bool // start was called: the user did not set GOGC or GOMEMLIMIT
	budgeted bool // the run has parsed leanAfter files
	lifted   bool // the first collection after start happened
	parsed   atomic.Int64
	total    atomic.Int64 // files where documents live, once the walk has listed them
	unbudget bool         // see fast
}

// fast keeps the run in the fast mode whatever it parses: for the report
// and export, which hold their rendered output besides the AIMS (20 MB of
// HTML for 10,000 documents), so a budget for the AIMS alone would have
// them collect without pause while they render (27 % more CPU).
func (g *gcPolicy) fast() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.unbudget = true
}

// found records how many files the AIMS holds where documents live
// (workspace.OnParse): the budget is for the whole AIMS from then on, not
// just for what has been parsed so far. Known early, it lets the heap
// grow towards the whole run's budget while little is live, so a large
// AIMS is collected a few times rather than at every step of its growth.
func (g *gcPolicy) found(files int) { g.total.Store(int64(files)) }

// files is the budget's count: the AIMS's files once listed, else those
// parsed so far.
func (g *gcPolicy) files() int64 { return max(g.total.Load(), g.parsed.Load()) }

// start runs no collection until the process holds fastFloor; the first
// collection finalizes an object allocated here, whose finalizer lifts the
// limit and sets GOGC (watch).
func (g *gcPolicy) start() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.on = true
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(fastFloor)
	g.watch()
}

// stop leaves the collector as it is and stops watching it (for tests,
// which start policies of their own).
func (g *gcPolicy) stop() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.on = false
}

// watch calls afterGC after the next collection.
func (g *gcPolicy) watch() {
	s := &struct{ _ *int }{} // with a pointer: never a tiny allocation, whose finalizer may not run
	runtime.SetFinalizer(s, func(any) { g.afterGC() })
}

var liveHeap = []metrics.Sample{{Name: "/gc/heap/live:bytes"}}

// afterGC lifts the floor after the first collection and sets GOGC: the
// fast mode's, or the budget's for what the last collection found live;
// a budgeted run watches every collection.
func (g *gcPolicy) afterGC() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.on {
		return // stopped
	}
	if !g.lifted {
		g.lifted = true
		debug.SetMemoryLimit(math.MaxInt64)
		if !g.budgeted {
			debug.SetGCPercent(fastPercent)
		}
	}
	if g.budgeted {
		metrics.Read(liveHeap)
		debug.SetGCPercent(budgetPercent(g.files(), int64(liveHeap[0].Value.Uint64())))
		g.watch()
	}
}

// fileParsed counts a file parsed rather than read from the cache
// (workspace.OnParse); the leanAfter-th budgets the run.
func (g *gcPolicy) fileParsed() {
	if g.parsed.Add(1) != leanAfter {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.on || g.unbudget {
		return
	}
	g.budgeted = true
	if g.lifted {
		// Past the fast floor already: budgeted from now on.
		debug.SetGCPercent(leanPercent)
		g.watch()
	} else {
		debug.SetMemoryLimit(leanFloor)
	}
}
