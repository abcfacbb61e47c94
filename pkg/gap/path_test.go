package gap

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// walkPathRef is the walk the finder replaced, kept as the reference it
// must agree with: every value at path, with its pointer.
func walkPathRef(v any, path []string, ptr []any, f func(ptr []any, v any)) {
	if len(path) == 0 {
		f(ptr, v)
		return
	}
	switch v := v.(type) {
	case map[string]any:
		if x, ok := v[path[0]]; ok {
			walkPathRef(x, path[1:], append(ptr[:len(ptr):len(ptr)], path[0]), f)
		}
	case []any:
		if path[0] != "*" {
			return
		}
		for i, x := range v {
			walkPathRef(x, path[1:], append(ptr[:len(ptr):len(ptr)], i), f)
		}
	}
}

func TestFinderAgreesWithTheWalk(t *testing.T) {
	doc := map[string]any{
		"approved_on": "2026-01-02",
		"records":     []any{map[string]any{"completed": "a"}, "not a map", map[string]any{"other": 1}, map[string]any{"completed": int64(3)}},
		"controls": []any{
			map[string]any{"justification": "n/a", "control": "A.2.2", "evidence": []any{"e1", "e2"}},
			map[string]any{"justification": []any{"x"}},
		},
		"gaps":   map[string]any{"*": map[string]any{"action": "key named star"}},
		"nested": []any{[]any{"a", "b"}, []any{}, map[string]any{"x": "y"}},
		"scalar": "s",
	}
	paths := []string{"approved_on", "records/*/completed", "controls/*/justification", "controls/*/evidence/*",
		"gaps/*/action", "nested/*/*", "scalar/x", "scalar/*", "missing", "records/*", "controls/*/nope"}
	for _, pd := range pastDates {
		paths = append(paths, pd.Path)
	}
	for _, nf := range narratives {
		paths = append(paths, nf.Path)
	}
	var f finder
	for _, p := range paths {
		fp := splitPath(p)
		type hit struct {
			Ptr []any
			V   any
		}
		var want, got []hit
		walkPathRef(doc, fp.segs, nil, func(ptr []any, v any) { want = append(want, hit{ptr, v}) })
		f.find(doc, fp)
		for i, v := range f.hits {
			got = append(got, hit{f.ptr(fp, i), v})
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-walk +finder):\n%s", p, diff)
		}
	}
}
