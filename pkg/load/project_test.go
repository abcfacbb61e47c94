package load

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// walkPath lists what a walk along segs finds below v, each hit with the
// keys and indices that lead to it: Get for a key (a key "*" of a mapping
// included), every element for "*" over a list, as link and gap walk.
func walkPath(v any, segs []string, at string, out *[]string) {
	if len(segs) == 0 {
		*out = append(*out, fmt.Sprintf("%s=%#v", at, v))
		return
	}
	if l, ok := v.([]any); ok {
		if segs[0] == "*" {
			for i, x := range l {
				walkPath(x, segs[1:], fmt.Sprintf("%s/%d", at, i), out)
			}
		}
		return
	}
	if x, ok := Get(v, segs[0]); ok {
		walkPath(x, segs[1:], at+"/"+segs[0], out)
	}
}

// randomValue builds a value tree from a few keys, so that paths meet
// mappings, lists, scalars and missing keys at every level.
func randomValue(r *rand.Rand, depth int) any {
	keys := []string{"a", "b", "c", "*"}
	switch n := r.IntN(6); {
	case depth == 0 || n == 0:
		return fmt.Sprint("s", r.IntN(100))
	case n == 1:
		return int64(r.IntN(9))
	case n <= 3:
		m := map[string]any{}
		for _, k := range keys {
			if r.IntN(2) == 0 {
				m[k] = randomValue(r, depth-1)
			}
		}
		return m
	default:
		l := make([]any, r.IntN(4))
		for i := range l {
			l[i] = randomValue(r, depth-1)
		}
		return l
	}
}

func randomPath(r *rand.Rand) string {
	segs := make([]string, 1+r.IntN(3))
	for i := range segs {
		segs[i] = []string{"a", "b", "c", "*"}[r.IntN(4)]
	}
	return strings.Join(segs, "/")
}

// TestProjectFindsWhatTheValuesHold: after Project, a walk along any of
// the projection's paths finds exactly what it found in the whole values,
// and everything the projection holds is found by one of them. Values
// are random trees; the rule fixtures check the real paths on real
// documents (cmd/aims TestRuleFixtures runs every fixture both ways).
func TestProjectFindsWhatTheValuesHold(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 5000 {
		m := map[string]any{}
		for _, k := range []string{"a", "b", "c", "*", "d"} {
			if r.IntN(3) > 0 {
				m[k] = randomValue(r, 3)
			}
		}
		var paths []string
		for range 1 + r.IntN(4) {
			paths = append(paths, randomPath(r))
		}
		d := &Document{Value: m, raw: map[string]string{"/a": "1"}}
		whole := map[string][]string{}
		for _, p := range paths {
			var hits []string
			walkPath(m, strings.Split(p, "/"), "", &hits)
			whole[p] = hits
		}
		d.Project(NewProjection(paths...))
		if d.Value != nil || d.raw != nil {
			t.Fatalf("case %d: Project kept Value or raw", i)
		}
		var all []string
		for _, p := range paths {
			var hits []string
			walkPath(d.Root(), strings.Split(p, "/"), "", &hits)
			if !reflect.DeepEqual(hits, whole[p]) {
				t.Fatalf("case %d, path %s: projection finds %q, the values %q\nvalues %#v\npaths %q", i, p, hits, whole[p], m, paths)
			}
			all = append(all, hits...)
		}
		// Nothing else: every scalar the projection holds is at or below
		// a hit of one of the paths (a whole value kept at a path's end).
		var leaves []string
		var collect func(v any, at string)
		collect = func(v any, at string) {
			switch v := v.(type) {
			case Fields:
				for _, f := range v {
					collect(f.Value, at+"/"+f.Key)
				}
			case map[string]any:
				for k, x := range v {
					collect(x, at+"/"+k)
				}
			case []any:
				for j, x := range v {
					collect(x, fmt.Sprintf("%s/%d", at, j))
				}
			case nil:
			default:
				leaves = append(leaves, at)
			}
		}
		collect(d.Root(), "")
		for _, leaf := range leaves {
			found := false
			for _, h := range all {
				at, _, _ := strings.Cut(h, "=")
				if leaf == at || strings.HasPrefix(leaf, at+"/") {
					found = true
					break
				}
			}
			if !found {
				t.Fatalf("case %d: the projection onto %q keeps %s, which no path finds\nvalues %#v", i, paths, leaf, m)
			}
		}
	}
}

// TestProjectionDropsCoveredPaths: a path below another adds nothing, so
// no value is both kept whole and projected into (which would change the
// whole value every other reader shares).
func TestProjectionDropsCoveredPaths(t *testing.T) {
	p := NewProjection("a/*/b", "a", "c/d", "c/d", "c/d/e", "e/*")
	var got []string
	for _, s := range p.paths {
		got = append(got, strings.Join(s, "/"))
	}
	if want := []string{"a", "c/d", "e/*"}; !reflect.DeepEqual(got, want) {
		t.Errorf("paths = %q, want %q", got, want)
	}
	shared := []any{map[string]any{"b": "x", "z": "y"}}
	d := &Document{Value: map[string]any{"a": shared}}
	d.Project(NewProjection("a/*/b", "a"))
	if len(shared[0].(map[string]any)) != 2 {
		t.Errorf("projecting changed a value kept whole: %#v", shared)
	}
}
