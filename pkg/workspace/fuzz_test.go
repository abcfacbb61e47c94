package workspace

import (
	"testing"
	"testing/fstest"
	"time"

	"github.com/aims-dev/aims/pkg/gap"
)

// FuzzPipeline runs load, schema, link and the gap analysis on an arbitrary
// document next to a valid manifest. Nothing may panic, and every finding
// with a file must also have a line.
func FuzzPipeline(f *testing.F) {
	for _, seed := range []string{
		"apiVersion: aims/v1\nkind: Risk\nid: r\ntitle: t\nowner: r\nsystems: [s]\nsource: privacy\nlikelihood: 9\nimpact: 9\n",
		"apiVersion: aims/v1\nkind: AISystem\nid: s\ntitle: S\nowner: s\npurpose: p\nintended_uses: [u]\nstage: deployed\nrisk_tier: high\nbias_testing: {protected_attributes: [a], metrics: [{metric: m, threshold: 0}]}\n",
		"apiVersion: aims/v1\nkind: Evidence\nid: e\ntitle: t\npath: ../x\nsatisfies: [7.4, A.1]\n",
		"apiVersion: aims/v1\nkind: Applicability\nid: soa\ntitle: t\nowner: x\ncontrols: [{control: A.2.2, applicable: false}]\n",
		"apiVersion: aims/v1\nkind: Audit\nid: a\ntitle: t\ntype: internal\nstate: completed\ndate: 2026-01-01\nscope: [\"4\", A.6]\n",
	} {
		f.Add([]byte(seed))
	}
	// Everything included, so the fuzzer reaches every parse path.
	manifest := []byte("apiVersion: aims/v1\nkind: Manifest\norganization: {name: Fuzz}\ndocuments: {include: [\"**\"]}\n")
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{"aims.yaml": {Data: manifest}, "doc.yaml": {Data: data}}
		// Whole documents, and cut down once checked as check runs (Lean):
		// both must find the same.
		var found [2]string
		for i, opts := range [][]Option{nil, {Lean()}} {
			w, err := Open(fsys, opts...)
			if err != nil {
				t.Fatal(err)
			}
			res := gap.Analyze(w.Model, w.Catalog, w.Diags, gap.Options{Now: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Tiers: w.Tiers})
			all := append(w.Diags, res.Findings...)
			all.Sort()
			for _, d := range all {
				if d.Pos.File != "" && d.Pos.Line == 0 && d.Code != "AIMS-R006" {
					t.Errorf("finding with a file but no line: %v", d)
				}
				found[i] += d.String() + "\n"
			}
		}
		if found[0] != found[1] {
			t.Errorf("whole documents find\n%s\ncut down ones\n%s", found[0], found[1])
		}
	})
}
