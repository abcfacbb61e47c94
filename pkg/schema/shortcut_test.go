package schema

import (
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/load"
)

// TestShortcutReportsTheSame validates every document of eachMutation with
// and without the $ref shortcut: the diagnostics must be the same
// once sorted, as a run sorts them (the library visits an object's fields in
// map order, so the unsorted order differs from run to run either way).
func TestShortcutReportsTheSame(t *testing.T) {
	fast, err := New()
	if err != nil {
		t.Fatal(err)
	}
	slow, err := New()
	if err != nil {
		t.Fatal(err)
	}
	slow.noShortcut = true
	fast.noFast, slow.noFast = true, true // the library's answers, with and without the shortcut
	compared, failing := 0, 0
	eachMutation(t, func(d *load.Document, what string) {
		got, err1 := fast.Validate(d)
		want, err2 := slow.Validate(d)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		got.Sort()
		want.Sort()
		compared++
		if len(want) > 0 {
			failing++
		}
		if diff := cmp.Diff(stable(want), stable(got)); diff != "" {
			t.Errorf("%s %s (-without +with the shortcut):\n%s", d.File, what, diff)
		}
	})
	if failing < compared/2 {
		t.Fatalf("only %d of %d validations found problems; the mutations do not bite", failing, compared)
	}
}

// eachMutation calls f with every document of both examples and of
// testdata/broken as written, then with every value in turn made wrong (a
// list, a number, a bad id, a bad date, a mapping) and with an unknown
// field added to every mapping. The document is restored afterwards.
func eachMutation(t *testing.T, f func(d *load.Document, what string)) {
	t.Helper()
	var docs []*load.Document
	for _, dir := range []string{"../../examples/northwind", "../../examples/first-steps", "../../testdata/broken"} {
		set, err := load.Load(os.DirFS(dir), load.Options{})
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, set.Docs...)
	}
	if len(docs) < 100 {
		t.Fatalf("%d documents; the examples moved?", len(docs))
	}
	wrong := []any{[]any{int64(1)}, int64(7), "-not an id!", "2026-02-30", map[string]any{"bogus": "x"}}
	for _, d := range docs {
		f(d, "as written")
		var mutate func(v any, where string)
		mutate = func(v any, where string) {
			switch v := v.(type) {
			case map[string]any:
				for _, k := range slices.Sorted(maps.Keys(v)) {
					old := v[k]
					for _, w := range wrong {
						v[k] = w
						f(d, where+"/"+k)
					}
					v[k] = old
					mutate(old, where+"/"+k)
				}
				v["bogus_field"] = "x"
				f(d, where+" with an unknown field")
				delete(v, "bogus_field")
			case []any:
				for i, old := range v {
					for _, w := range wrong {
						v[i] = w
						f(d, where+"/*")
					}
					v[i] = old
					mutate(old, where+"/*")
				}
			}
		}
		mutate(d.Value, "")
	}
}

// stable is the diagnostics as text, but for those of an invalid property
// name (a rule id in aims.yaml): the library reports those at an instance
// location that depends on map order (its location slices share a backing
// array), with or without the shortcut, so their position varies from run
// to run either way.
func stable(l diag.List) []string {
	var out []string
	for _, d := range l {
		if !strings.Contains(d.Msg, "invalid propertyName") {
			out = append(out, d.String())
		}
	}
	return out
}
