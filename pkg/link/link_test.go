package link

import (
	"slices"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/aims-dev/aims/pkg/catalog"
	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/load"
)

func check(t *testing.T, files map[string]string) []string {
	t.Helper()
	fsys := fstest.MapFS{"aims.yaml": {Data: []byte("apiVersion: aims/v1\nkind: Manifest\norganization: {name: X}\n")}}
	for k, v := range files {
		fsys[k] = &fstest.MapFile{Data: []byte(v)}
	}
	set, err := load.Load(fsys, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var all diag.List
	for _, d := range set.Docs {
		all = append(all, NormalizeIDs(d)...)
	}
	l := Check(set.Docs, fsys, catalog.ISO42001(), []string{"high", "low"})
	all = append(all, l...)
	all.Sort()
	var out []string
	for _, d := range all {
		out = append(out, d.String())
	}
	return out
}

func TestReferences(t *testing.T) {
	got := check(t, map[string]string{
		"people.yaml": "apiVersion: aims/v1\nkind: Person\nid: ann\nname: Ann\n",
		"sys.yaml":    "apiVersion: aims/v1\nkind: AISystem\nid: bot\nowner: ann\nrisk_tier: hihg\nsuppliers: [ann]\n",
		"risk.yaml":   "apiVersion: aims/v1\nkind: Risk\nid: r1\nowner: bott\nsystems: [bot]\ntreatment: {controls: [A.6, A.6.2.4]}\n",
		"ev.yaml":     "apiVersion: aims/v1\nkind: Evidence\nid: e1\npath: ./ev/../ev.yaml\nsatisfies: [7.4, \"6.1.2\", 4]\n",
	})
	want := []string{
		`ev.yaml:5:13: warning: clause id 7.4 is a number in YAML; write "7.4" so every tool reads it as text [AIMS-Y002]`,
		`ev.yaml:5:27: error: 4 is not an ISO/IEC 42001 clause or Annex A control (it is a group; name the clause or control) [AIMS-R004]`,
		`ev.yaml:5:27: warning: clause id 4 is a number in YAML; write "4" so every tool reads it as text [AIMS-Y002]`,
		`risk.yaml:4:8: error: owner refers to unknown id "bott" [AIMS-R002]`,
		`risk.yaml:6:24: error: A.6 is not an ISO/IEC 42001 Annex A control (it is a group; name the clause or control) [AIMS-R004]`,
		`sys.yaml:5:12: error: risk tier "hihg" is not defined (did you mean "high"?) [AIMS-R007]`,
		`sys.yaml:6:13: error: suppliers[0] must name a Supplier, but "ann" is a Person [AIMS-R003]`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestManifestPlacement(t *testing.T) {
	got := check(t, map[string]string{"sub/aims.yaml": "apiVersion: aims/v1\nkind: Manifest\norganization: {name: Y}\n"})
	want := []string{"sub/aims.yaml:1:1: error: a Manifest belongs in aims.yaml at the AIMS root [AIMS-R006]"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// An owner names a Person or Role: another kind is refused, and "did you
// mean" offers only people and roles, even when another kind is closer.
func TestPersonReferences(t *testing.T) {
	got := check(t, map[string]string{
		"people.yaml": "apiVersion: aims/v1\nkind: Person\nid: bob-smith\nname: Bob\n---\napiVersion: aims/v1\nkind: Dataset\nid: bob-smyth\ntitle: Bob's data\n",
		"risk.yaml":   "apiVersion: aims/v1\nkind: Risk\nid: r1\nowner: bob-smyth\n---\napiVersion: aims/v1\nkind: Risk\nid: r2\nowner: bob-smyht\n",
	})
	want := []string{
		`risk.yaml:4:8: error: owner must name a Person or Role, but "bob-smyth" is a Dataset [AIMS-R003]`,
		`risk.yaml:9:8: error: owner refers to unknown id "bob-smyht" (did you mean "bob-smith"?) [AIMS-R002]`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// A Memo answers as Check does, run after run, while documents come and go:
// a document kept from the run before keeps its findings only while every
// id keeps its kind and the tiers stay, since a reference in it may now
// resolve, or resolve to another kind, or suggest another id.
func TestMemoChecksAsCheck(t *testing.T) {
	base := map[string]string{
		"people.yaml": "apiVersion: aims/v1\nkind: Person\nid: ann\nname: Ann\n",
		"sys.yaml":    "apiVersion: aims/v1\nkind: AISystem\nid: bot\nowner: ann\nrisk_tier: hihg\n",
		"risk.yaml":   "apiVersion: aims/v1\nkind: Risk\nid: r1\nowner: bobb\nsystems: [bot]\n",
		"ev.yaml":     "apiVersion: aims/v1\nkind: Evidence\nid: e1\npath: ev.txt\nowner: ann\n",
	}
	cat := catalog.ISO42001()
	m := NewMemo()
	loaded := map[string][]*load.Document{} // by file: a file unchanged keeps its documents, as load.Memo does
	for _, step := range []struct {
		name  string
		files map[string]string // changed ("" removes)
		tiers []string
	}{
		{"first", nil, []string{"high", "low"}},
		{"unchanged", nil, []string{"high", "low"}},
		{"the unknown owner appears", map[string]string{"bob.yaml": "apiVersion: aims/v1\nkind: Person\nid: bobb\nname: Bob\n"}, []string{"high", "low"}},
		{"it becomes a dataset", map[string]string{"bob.yaml": "apiVersion: aims/v1\nkind: Dataset\nid: bobb\ntitle: B\n"}, []string{"high", "low"}},
		{"it goes", map[string]string{"bob.yaml": ""}, []string{"high", "low"}},
		{"the tier is defined", nil, []string{"high", "hihg"}},
		{"the evidence file appears", map[string]string{"ev.txt": "a record"}, []string{"high", "hihg"}},
		{"a document edited", map[string]string{"risk.yaml": "apiVersion: aims/v1\nkind: Risk\nid: r1\nowner: ann\nsystems: [bott]\n"}, []string{"high", "hihg"}},
	} {
		fsys := fstest.MapFS{"aims.yaml": {Data: []byte("apiVersion: aims/v1\nkind: Manifest\norganization: {name: X}\n")}}
		for k, v := range step.files {
			if v == "" {
				delete(base, k)
			} else {
				base[k] = v
			}
			delete(loaded, k)
		}
		for k, v := range base {
			fsys[k] = &fstest.MapFile{Data: []byte(v)}
		}
		var docs []*load.Document
		for _, f := range append([]string{"aims.yaml"}, sortedKeys(base)...) {
			if _, ok := loaded[f]; !ok {
				set, err := load.Load(fstest.MapFS{f: fsys[f]}, load.Options{})
				if err != nil {
					t.Fatal(err)
				}
				loaded[f] = set.Docs
			}
			docs = append(docs, loaded[f]...)
		}
		want := Check(docs, fsys, cat, step.tiers)
		got := m.Check(docs, fsys, cat, step.tiers)
		if diff := cmp.Diff(strs(want), strs(got)); diff != "" {
			t.Errorf("%s (-Check +Memo.Check):\n%s", step.name, diff)
		}
	}
}

func sortedKeys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func strs(l diag.List) []string {
	var out []string
	for _, d := range l {
		out = append(out, d.String())
	}
	return out
}
