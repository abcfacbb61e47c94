package vcs

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// sameEnds may skip only entries that are the same in both trees: the diff
// never looks at them. Random pairs of trees, one an edit of the other,
// with names that contain spaces and hashes full of NUL and space bytes,
// and names that end in another entry's whole record, which is what makes
// bytes that match at the end of two trees start at different entries.
func TestSameEndsSkipsOnlyEqualEntries(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	type ent struct {
		name string
		mode uint32
		hash [20]byte
	}
	randEnt := func() ent {
		e := ent{name: fmt.Sprintf("%c%d", "ab c\x7f"[rng.IntN(5)], rng.IntN(30)), mode: modeFile}
		if rng.IntN(3) == 0 {
			e.mode = modeDir
		}
		for i := range e.hash {
			e.hash[i] = []byte{0, ' ', '1', byte(rng.IntN(256))}[rng.IntN(4)]
		}
		return e
	}
	encode := func(es []ent) []byte {
		slices.SortFunc(es, func(a, b ent) int {
			return gitCompare([]byte(a.name), a.mode == modeDir, []byte(b.name), b.mode == modeDir)
		})
		es = slices.CompactFunc(es, func(a, b ent) bool { return a.name == b.name && a.mode == b.mode })
		var buf bytes.Buffer
		for _, e := range es {
			fmt.Fprintf(&buf, "%o %s\x00%s", e.mode, e.name, e.hash[:])
		}
		return buf.Bytes()
	}
	skipped := 0
	for n := range 3000 {
		var a []ent
		for range rng.IntN(40) {
			a = append(a, randEnt())
		}
		b := slices.Clone(a)
		for range 1 + rng.IntN(3) {
			switch k := rng.IntN(5); {
			case k == 4 && len(b) > 0:
				// A name that ends in the whole record of the entry it
				// replaces: their bytes match at the end, but they are
				// different entries.
				i := rng.IntN(len(b))
				e := b[i]
				b[i].name = fmt.Sprintf("%s%o %s", e.name[:1], e.mode, e.name)
			case k == 0 || len(b) == 0:
				b = append(b, randEnt())
			case k == 1:
				i := rng.IntN(len(b))
				b = slices.Delete(b, i, i+1)
			case k == 2:
				b[rng.IntN(len(b))].hash = randEnt().hash
			default:
				i := rng.IntN(len(b))
				b[i].mode ^= modeFile ^ modeDir
			}
		}
		ta, err := parseTree(encode(a))
		if err != nil {
			t.Fatal(err)
		}
		tb, err := parseTree(encode(b))
		if err != nil {
			t.Fatal(err)
		}
		lo, hiA, hiB := sameEnds(ta, tb)
		if lo > hiA || lo > hiB || hiA > ta.len() || hiB > tb.len() || ta.len()-hiA != tb.len()-hiB {
			t.Fatalf("pair %d: sameEnds = %d, %d, %d for trees of %d and %d entries", n, lo, hiA, hiB, ta.len(), tb.len())
		}
		for i := range lo {
			if ea, eb := ta.entry(i), tb.entry(i); !bytes.Equal(ea.name, eb.name) || ea.mode != eb.mode || ea.hash != eb.hash {
				t.Fatalf("pair %d: entry %d skipped at the start differs: %q and %q", n, i, ea.name, eb.name)
			}
		}
		for k := range ta.len() - hiA {
			if ea, eb := ta.entry(hiA+k), tb.entry(hiB+k); !bytes.Equal(ea.name, eb.name) || ea.mode != eb.mode || ea.hash != eb.hash {
				t.Fatalf("pair %d: entry skipped at the end differs: %q and %q", n, ea.name, eb.name)
			}
		}
		skipped += lo + ta.len() - hiA
	}
	if skipped == 0 {
		t.Fatal("sameEnds never skipped an entry: the test proves nothing")
	}
}
