package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func gcPercentNow() int { p := debug.SetGCPercent(0); debug.SetGCPercent(p); return p }

// collectUntil collects until ok holds.
func collectUntil(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: still not so after collections (GOGC %d, limit %d)", what, gcPercentNow(), debug.SetMemoryLimit(-1))
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
}

func restoreGC(t *testing.T) {
	p, l := debug.SetGCPercent(100), debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() { debug.SetGCPercent(p); debug.SetMemoryLimit(l) })
}

// Below the floor there is no collection; the first one lifts the memory
// limit and sets the fast GOGC. A limit left in place would make a large
// AIMS collect without pause once its heap passed the floor.
func TestGCFloorLiftsAfterTheFirstCollection(t *testing.T) {
	restoreGC(t)
	var g gcPolicy
	g.start()
	t.Cleanup(g.stop)
	if p, l := gcPercentNow(), debug.SetMemoryLimit(-1); p != -1 || l != fastFloor {
		t.Fatalf("before the first collection: GOGC %d, limit %d; want off and the floor", p, l)
	}
	collectUntil(t, "the limit lifted", func() bool { return debug.SetMemoryLimit(-1) == math.MaxInt64 })
	if p := gcPercentNow(); p != fastPercent {
		t.Errorf("after the first collection GOGC is %d, want %d", p, fastPercent)
	}
	// A run that parses fewer than leanAfter files stays fast.
	for range leanAfter - 1 {
		g.fileParsed()
	}
	runtime.GC()
	time.Sleep(10 * time.Millisecond)
	if p := gcPercentNow(); p != fastPercent {
		t.Errorf("after %d files parsed GOGC is %d, want still %d", leanAfter-1, p, fastPercent)
	}
}

// A run that parses leanAfter files is budgeted: before the first
// collection its floor becomes leanFloor; after each collection GOGC is
// what the budget allows for the files parsed.
func TestGCBudgetsARunThatParses(t *testing.T) {
	restoreGC(t)
	var g gcPolicy
	g.start()
	t.Cleanup(g.stop)
	for range leanAfter {
		g.fileParsed()
	}
	if p, l := gcPercentNow(), debug.SetMemoryLimit(-1); l != leanFloor && l != math.MaxInt64 || p != -1 && p < leanPercent {
		t.Fatalf("after %d files parsed: GOGC %d, limit %d; want the lean floor %d", leanAfter, p, l, leanFloor)
	}
	collectUntil(t, "budgeted", func() bool { return debug.SetMemoryLimit(-1) == math.MaxInt64 && gcPercentNow() > 0 })
	if p := gcPercentNow(); p < leanPercent || p > fastPercent {
		t.Errorf("budgeted GOGC %d, want %d to %d", p, leanPercent, fastPercent)
	}
	// The budget follows what is live, after every collection: a live
	// heap beyond the floor's share leaves GOGC at its least.
	ballast := make([]*[1 << 20]byte, 80)
	for i := range ballast {
		ballast[i] = new([1 << 20]byte)
	}
	collectUntil(t, "GOGC at its least", func() bool { return gcPercentNow() == leanPercent })
	runtime.KeepAlive(ballast)
}

// budgetPercent lets the heap grow to the budget, within its bounds.
func TestBudgetPercent(t *testing.T) {
	for _, c := range []struct {
		files, live int64
		least, most int
	}{
		{10000, 44 << 20, leanPercent, 45}, // 10,000 documents (README): near its least
		{50000, 222 << 20, 45, 80},         // 50,000: more room per document
		{50000, 600 << 20, leanPercent, leanPercent},
		{3000, 13 << 20, fastPercent, fastPercent}, // a small AIMS: the floor's room
		{1000, 0, fastPercent, fastPercent},
	} {
		if got := budgetPercent(c.files, c.live); got < c.least || got > c.most {
			t.Errorf("budgetPercent(%d files, %d MB live) = %d, want %d to %d", c.files, c.live>>20, got, c.least, c.most)
		}
	}
	// Without start (GOGC or GOMEMLIMIT set by the user) nothing changes.
	restoreGC(t)
	var user gcPolicy
	debug.SetGCPercent(77)
	for range leanAfter {
		user.fileParsed()
	}
	if p := gcPercentNow(); p != 77 {
		t.Errorf("the user's GOGC 77 became %d", p)
	}
}

// A report (fast) stays in the fast mode however many files it parses.
func TestGCFastStaysFast(t *testing.T) {
	restoreGC(t)
	var g gcPolicy
	g.start()
	t.Cleanup(g.stop)
	g.fast()
	for range leanAfter {
		g.fileParsed()
	}
	if l := debug.SetMemoryLimit(-1); l != fastFloor && l != math.MaxInt64 {
		t.Fatalf("after %d files parsed the limit is %d, want the fast floor", leanAfter, l)
	}
	collectUntil(t, "the limit lifted", func() bool { return debug.SetMemoryLimit(-1) == math.MaxInt64 })
	if p := gcPercentNow(); p != fastPercent {
		t.Errorf("GOGC %d, want the fast %d", p, fastPercent)
	}
}
