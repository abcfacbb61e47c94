package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// Below the floor there is no collection; the first one lifts the memory
// limit and restores GOGC 200. A limit left in place would make a large
// AIMS collect without pause once its heap passed the floor.
func TestGCFloorLiftsAfterTheFirstCollection(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	gcFrom(1 << 40)
	percent := func() int { p := debug.SetGCPercent(0); debug.SetGCPercent(p); return p }
	if p, l := percent(), debug.SetMemoryLimit(-1); p != -1 || l != 1<<40 {
		t.Fatalf("before the first collection: GOGC %d, limit %d; want off and the floor", p, l)
	}
	deadline := time.Now().Add(10 * time.Second)
	for debug.SetMemoryLimit(-1) != math.MaxInt64 {
		if time.Now().After(deadline) {
			t.Fatalf("the memory limit is still %d after collections", debug.SetMemoryLimit(-1))
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if p := percent(); p != gcPercent {
		t.Errorf("after the first collection GOGC is %d, want %d", p, gcPercent)
	}
}
