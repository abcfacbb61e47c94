package schema

import (
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/aims-dev/aims/pkg/load"
)

// TestFastPathAgrees holds the fast path to the library on every document
// of eachMutation: where it answers valid or invalid, the library must
// answer the same, and it must answer for most documents as written
// (otherwise it saves nothing). Validate itself must report the same with
// and without it.
func TestFastPathAgrees(t *testing.T) {
	v, err := New()
	if err != nil {
		t.Fatal(err)
	}
	lib, err := New()
	if err != nil {
		t.Fatal(err)
	}
	lib.noFast = true
	answered, written, counts := 0, 0, map[verdict]int{}
	eachMutation(t, func(d *load.Document, what string) {
		file, ok := v.kinds[d.Kind]
		if !ok {
			return
		}
		c, err := v.schema(file)
		if err != nil {
			t.Fatal(err)
		}
		got := c.fast.check(d.Value, 0)
		counts[got]++
		libValid := c.schema.Validate(d.Value) == nil
		if got == valid && !libValid || got == invalid && libValid {
			t.Errorf("%s %s: fast path says %v, the library says valid=%v", d.File, what, got, libValid)
		}
		if what == "as written" && libValid {
			written++
			if got == valid {
				answered++
			}
		}
		l1, err1 := v.Validate(d)
		l2, err2 := lib.Validate(d)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		l1.Sort()
		l2.Sort()
		if diff := cmp.Diff(stable(l2), stable(l1)); diff != "" {
			t.Errorf("%s %s (-library +fast path):\n%s", d.File, what, diff)
		}
	})
	t.Logf("verdicts: %d valid, %d invalid, %d unsure; valid documents as written answered: %d of %d",
		counts[valid], counts[invalid], counts[unsure], answered, written)
	if answered < written*9/10 || counts[invalid] == 0 {
		t.Errorf("the fast path answered for %d of %d valid documents and found %d invalid; it no longer covers our schemas", answered, written, counts[invalid])
	}
}

// FuzzFastPath holds the fast path to the library on whatever the fuzzer
// makes of a few broken documents.
func FuzzFastPath(f *testing.F) {
	for _, seed := range []string{
		"kind: Risk\nid: r\ntitle: t\nowner: x\nsystems: [s]\nsource: privacy\nlikelihood: 3\nimpact: 4\n",
		"kind: Risk\nid: r\ntitle: t\nowner: x\nsystems: [s]\nsource: privcy\nlikelihood: 3.0\nimpact: 9\n",
		"kind: AISystem\nid: s\nowner: x\nrisk_tier: high\nmodel: {type: [1]}\n",
		"kind: Applicability\nid: soa\ncontrols: [{control: A.2.2, applicable: true, justification: why}]\n",
		"kind: Evidence\nid: e\ncollected: 2026-02-28\nsatisfies: [\"7.5\"]\npath: a.pdf\nowner: x\n",
		"kind: Manifest\nrules: {AIMS-G001: {severity: loud}}\nsettings: {tiers: {high: {requires: [nope]}}}\n",
		"kind: Competence\nid: c\nowner: o\nsubject: p\nrecords: [{completed: 2026-01-01, evidence: e}]\n",
	} {
		f.Add(seed)
	}
	v, err := New()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		set, err := load.Load(fstest.MapFS{"x.yaml": {Data: []byte("apiVersion: aims/v1\n" + body)}}, load.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range set.Docs {
			file, ok := v.kinds[d.Kind]
			if !ok {
				continue
			}
			c, err := v.schema(file)
			if err != nil {
				t.Fatal(err)
			}
			got := c.fast.check(d.Value, 0)
			libValid := c.schema.Validate(d.Value) == nil
			if got == valid && !libValid || got == invalid && libValid {
				t.Errorf("fast path says %v, the library says valid=%v", got, libValid)
			}
		}
	})
}
