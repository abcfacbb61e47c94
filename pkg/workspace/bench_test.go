package workspace

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/gap"
)

// generated builds an AIMS of n documents: systems, risks and evidence in
// equal parts, each in its own file, like a large organisation's register.
func generated(n int) fstest.MapFS {
	m := fstest.MapFS{
		"aims.yaml":        {Data: []byte("apiVersion: aims/v1\nkind: Manifest\norganization: {name: Big Org}\n")},
		"people.yaml":      {Data: []byte("apiVersion: aims/v1\nkind: Person\nid: owner\nname: Owner\n")},
		"evidence/file.md": {Data: []byte("evidence\n")},
	}
	for i := 0; i < n/3; i++ {
		m[fmt.Sprintf("systems/s%05d.yaml", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(`apiVersion: aims/v1
kind: AISystem
id: sys-%05d
title: System %d
owner: owner
purpose: Decide things
intended_uses: [Decide things with human review]
stage: deployed
risk_tier: low
model: {type: gradient-boosted trees, version: "1.0"}
inputs: [application data]
outputs: [score]
`, i, i))}
		m[fmt.Sprintf("risks/r%05d.yaml", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(`apiVersion: aims/v1
kind: Risk
id: risk-%05d
title: Risk %d
owner: owner
systems: [sys-%05d]
source: fairness
identified: 2026-01-01
likelihood: 2
impact: 2
treatment: {option: mitigate, controls: [A.5.4, A.7.4], plan: Test and monitor, due: 2027-01-01}
residual: {likelihood: 1, impact: 2}
`, i, i, i))}
		m[fmt.Sprintf("records/e%05d.yaml", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(`apiVersion: aims/v1
kind: Evidence
id: ev-%05d
title: Validation %d
type: validation_report
owner: owner
systems: [sys-%05d]
path: evidence/file.md
satisfies: [A.6.2.4]
collected: 2026-06-01
`, i, i, i))}
	}
	return m
}

// BenchmarkParseYAML is the floor: reading and parsing every file with
// yaml.v3, nothing else.
func BenchmarkParseYAML(b *testing.B) {
	fsys := generated(10_000)
	b.ResetTimer()
	for b.Loop() {
		err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
				return err
			}
			data, err := fs.ReadFile(fsys, p)
			if err != nil {
				return err
			}
			var n yaml.Node
			return yaml.Unmarshal(data, &n)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheck is the whole of `aims check`: load, schema, decode, link,
// gap analysis.
func BenchmarkCheck(b *testing.B) {
	fsys := generated(10_000)
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	b.ResetTimer()
	for b.Loop() {
		w, err := Open(fsys)
		if err != nil {
			b.Fatal(err)
		}
		if w.Diags.Max() >= diag.Error {
			b.Fatalf("generated AIMS does not validate: %v", w.Diags[:1])
		}
		gap.Analyze(w.Model, w.Catalog, w.Diags, gap.Options{Now: now, Tiers: w.Tiers})
	}
}
