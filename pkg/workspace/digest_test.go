package workspace

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/aims-dev/aims/pkg/load"
)

// randomContent is a document's values from a small alphabet, so that two
// draws are often equal, or equal but for one value's type or one key.
func randomContent(r *rand.Rand, depth int) any {
	switch n := r.IntN(9); {
	case depth == 0 || n < 2:
		return []any{"a", "b", "7", ""}[r.IntN(4)]
	case n == 2:
		return int64(r.IntN(3))
	case n == 3:
		return float64(r.IntN(3))
	case n == 4:
		return []any{nil, true, false}[r.IntN(3)]
	case n <= 6:
		m := map[string]any{}
		for _, k := range []string{"a", "b", "title", "approved_by"} {
			if r.IntN(2) == 0 {
				m[k] = randomContent(r, depth-1)
			}
		}
		return m
	default:
		l := make([]any, r.IntN(3))
		for i := range l {
			l[i] = randomContent(r, depth-1)
		}
		return l
	}
}

func randomDoc(r *rand.Rand) map[string]any {
	m := map[string]any{}
	for _, k := range append([]string{"title", "owner", "controls"}, approvalKeys...) {
		if r.IntN(2) == 0 {
			m[k] = randomContent(r, 2)
		}
	}
	return m
}

// TestContentDigest: two documents have the same digest exactly when
// their values are deeply equal once the approval's own fields are left
// out, which is what an approval covers (Lean inside git compares the
// digest of a checked document with the versions in its history).
func TestContentDigest(t *testing.T) {
	strip := func(m map[string]any) map[string]any {
		m = maps.Clone(m)
		for _, k := range approvalKeys {
			delete(m, k)
		}
		return m
	}
	r := rand.New(rand.NewPCG(7, 8))
	same, differ := 0, 0
	for i := range 20000 {
		x, y := randomDoc(r), randomDoc(r)
		if i%3 == 0 {
			// A copy with at most an approval field changed.
			y = maps.Clone(x)
			y["approved_on"] = fmt.Sprint(r.IntN(2))
		}
		want := reflect.DeepEqual(strip(x), strip(y))
		got := contentDigest(&load.Document{Value: x}) == contentDigest(&load.Document{Value: y})
		if got != want {
			t.Fatalf("digests equal %v, values equal %v:\n%#v\n%#v", got, want, x, y)
		}
		if want {
			same++
		} else {
			differ++
		}
	}
	if same < 1000 || differ < 1000 {
		t.Errorf("only %d equal and %d different pairs drawn", same, differ)
	}
}
