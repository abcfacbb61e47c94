package schema

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/aims-dev/aims/pkg/load"
)

// FuzzValidate maps schema errors for arbitrary field values onto positions.
// The seeds are real kinds with wrong types, unknown fields and bad enums;
// whatever the fuzzer makes of them, Validate must not panic or fail, and
// every diagnostic must point at a line of the file.
func FuzzValidate(f *testing.F) {
	for _, seed := range []string{
		"kind: Risk\nid: r\ntitle: t\nowner: x\nsystems: [s]\nsource: privcy\nlikelihood: \"3\"\nimpact: 9\n",
		"kind: AISystem\nid: s\nownr: x\nrisk_tier: extreme\nmodel: {type: [1]}\n",
		"kind: Applicability\nid: soa\ncontrols: [{control: A.2.2, applicable: maybe}, 7]\n",
		"kind: Evidence\nid: e\ncollected: 2026-02-30\nsatisfies: [{x: 1}]\n",
		"kind: Manifest\nrules: {AIMS-G001: {severity: loud}}\nsettings: {tiers: {high: {requires: [nope]}}}\n",
		"kind: Nope\n",
		"kind: Policy\n\"\": x\n\"~1/\": [[[]]]\n",
	} {
		f.Add(seed)
	}
	v, err := New()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		src := "apiVersion: aims/v1\n" + body
		set, err := load.Load(fstest.MapFS{"x.yaml": {Data: []byte(src)}}, load.Options{})
		if err != nil {
			t.Fatal(err)
		}
		lines := yamlLines(src)
		for _, d := range set.Docs {
			l, err := v.Validate(d)
			if err != nil {
				t.Fatalf("Validate: %v", err)
			}
			for _, dg := range l {
				if dg.Pos.File != "x.yaml" || dg.Pos.Line < 1 || dg.Pos.Line > lines {
					t.Errorf("diagnostic outside the file: %v", dg)
				}
			}
		}
	})
}

// yamlLines counts the lines of src as YAML does, and so as positions
// name them: a lone carriage return, NEL, LS and PS each end a line too
// ("kind: Manifest\r0:" is two lines), CR LF is one break.
func yamlLines(src string) int {
	src = strings.ReplaceAll(src, "\r\n", "\n")
	n := 1
	for _, r := range src {
		switch r {
		case '\n', '\r', '\u0085', '\u2028', '\u2029':
			n++
		}
	}
	return n
}
