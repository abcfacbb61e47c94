package load

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
)

type posEntry struct {
	ptr string
	sp  span
}

func randomEntries(r *rand.Rand) []posEntry {
	keys := []string{"a", "bb", "treatment", "ccc~1d", ""}
	var out []posEntry
	for range r.IntN(40) {
		ptr := ""
		for range r.IntN(4) {
			if r.IntN(2) == 0 {
				ptr += "/" + keys[r.IntN(len(keys))]
			} else {
				ptr += fmt.Sprintf("/%d", r.IntN(12))
			}
		}
		var sp span
		if r.IntN(3) > 0 {
			sp.keyLine, sp.keyCol = int32(1+r.IntN(300)), int32(r.IntN(90))
		}
		if r.IntN(4) > 0 {
			sp.valLine, sp.valCol = int32(1+r.IntN(300)), int32(r.IntN(90))
		}
		out = append(out, posEntry{ptr, sp})
	}
	return out
}

// TestPositionsRoundTrip: whatever the order of the pointers and lines
// (the parse meets them in document order, but nothing relies on it),
// decoding gives back every entry written, in order.
func TestPositionsRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 3000 {
		in := randomEntries(r)
		var w posWriter
		for _, e := range in {
			w.add([]byte(e.ptr), int(e.sp.keyLine), int(e.sp.keyCol), int(e.sp.valLine), int(e.sp.valCol))
		}
		var out []posEntry
		if !eachPosition(w.section(), func(ptr []byte, sp span) { out = append(out, posEntry{string(ptr), sp}) }) {
			t.Fatalf("case %d: the section written does not read back", i)
		}
		if len(in) == 0 && len(out) == 0 {
			continue
		}
		if !reflect.DeepEqual(in, out) {
			t.Fatalf("case %d: wrote %v\nread %v", i, in, out)
		}
	}
}

// FuzzPositionsSection: a positions section from the cache is read with
// bounds checks: any bytes are either refused or read without a panic, and
// what validPositions accepts decodePositions reads.
func FuzzPositionsSection(f *testing.F) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 8 {
		var w posWriter
		for _, e := range randomEntries(r) {
			w.add([]byte(e.ptr), int(e.sp.keyLine), int(e.sp.keyCol), int(e.sp.valLine), int(e.sp.valCol))
		}
		f.Add(w.section())
	}
	f.Add([]byte{1, 200, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		valid := validPositions(b)
		if _, ok := decodePositions(b); ok != valid {
			t.Fatalf("validPositions %v, decodePositions %v", valid, ok)
		}
	})
}
