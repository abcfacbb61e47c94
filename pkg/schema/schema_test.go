package schema

import (
	"encoding/json"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/google/go-cmp/cmp"

	"github.com/aims-dev/aims/pkg/load"
	"github.com/aims-dev/aims/schemas"
)

func validate(t *testing.T, src string) []string {
	t.Helper()
	set, err := load.Load(fstest.MapFS{"x.yaml": {Data: []byte(src)}}, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Diags) > 0 || len(set.Docs) != 1 {
		t.Fatalf("load: %v", set.Diags)
	}
	v, err := New()
	if err != nil {
		t.Fatal(err)
	}
	l, err := v.Validate(set.Docs[0])
	if err != nil {
		t.Fatal(err)
	}
	l.Sort()
	var out []string
	for _, d := range l {
		out = append(out, d.String())
	}
	return out
}

const risk = `apiVersion: aims/v1
kind: Risk
id: R-1
title: Unfair credit decisions
owner: cro
systems: [credit-scoring]
source: fairness
likelihood: 3
impact: 4
`

func TestValidDocumentHasNoDiagnostics(t *testing.T) {
	if got := validate(t, risk); len(got) != 0 {
		t.Errorf("want none, got %v", got)
	}
}

func TestDiagnosticsPointAtTheProblem(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"unknown field with suggestion", risk + "ownr: x\n",
			[]string{`x.yaml:10:1: error: unknown field "ownr" (did you mean "owner"?) [AIMS-S002]`}},
		{"unknown nested field", risk + "treatment:\n  option: mitigate\n  controlz: [A.5.2]\n",
			[]string{`x.yaml:12:3: error: unknown field "controlz" (did you mean "controls"?) in treatment [AIMS-S002]`}},
		{"wrong type", `apiVersion: aims/v1
kind: Risk
id: R-1
title: t
owner: cro
systems: [s]
source: fairness
likelihood: high
impact: 4
`, []string{`x.yaml:8:13: error: likelihood must be a whole number, not string [AIMS-S004]`}},
		{"bad enum with suggestion", `apiVersion: aims/v1
kind: Risk
id: R-1
title: t
owner: cro
systems: [s]
source: fairnes
likelihood: 1
impact: 4
`, []string{`x.yaml:7:9: error: source: "fairnes" is not allowed (did you mean "fairness"?) [AIMS-S005]`}},
		{"malformed date", risk + "identified: 2025-13-01\n",
			[]string{`x.yaml:10:13: error: identified: "2025-13-01" is not a valid date (want YYYY-MM-DD) [AIMS-S006]`}},
		{"missing required field at the object", `apiVersion: aims/v1
kind: Risk
id: R-1
title: t
owner: cro
systems: [s]
source: fairness
likelihood: 1
impact: 4
treatment:
  plan: retrain
`, []string{`x.yaml:10:1: error: missing required field "option" in treatment [AIMS-S003]`}},
		{"a field that needs another, at the field", "apiVersion: aims/v1\nkind: Evidence\nid: e1\ntitle: t\nurl: https://x.example\nsatisfies: [A.2.2]\nnever_expires: true\n",
			[]string{`x.yaml:7:1: error: never_expires needs "never_expires_reason" beside it [AIMS-S003]`}},
		{"bad control id", risk + "treatment:\n  option: mitigate\n  controls: [A.4.1x]\n",
			[]string{`x.yaml:12:14: error: treatment.controls[0]: "A.4.1x" is not valid (An ISO/IEC 42001 Annex A control id, e.g. A.6.2.4) [AIMS-S005]`}},
		{"unknown kind", "apiVersion: aims/v1\nkind: Risks\nid: x\n",
			[]string{`x.yaml:2:7: error: unknown kind "Risks" (did you mean "Risk"?) [AIMS-S001]`}},
		{"wrong apiVersion", "apiVersion: aims/v2\nkind: Role\nid: r\ntitle: t\nresponsibilities: [x]\n",
			[]string{`x.yaml:1:13: error: apiVersion must be "aims/v1", not "aims/v2" [AIMS-S005]`}},
		{"evidence needs path or url", "apiVersion: aims/v1\nkind: Evidence\nid: e\ntitle: t\nsatisfies: [A.5.2]\n",
			[]string{`x.yaml:1:1: error: document needs one of the fields "path" or "url" [AIMS-S003]`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, validate(t, tt.src)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// Every schema must compile, and every kind must have exactly one.
func TestAllSchemasCompile(t *testing.T) {
	v, err := New()
	if err != nil {
		t.Fatal(err)
	}
	files, _ := fs.Glob(schemas.FS, "*.schema.json")
	for _, f := range files {
		if _, err := v.schema(f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
		var m map[string]any
		b, _ := fs.ReadFile(schemas.FS, f)
		if err := json.Unmarshal(b, &m); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	if n := len(v.Kinds()); n != 22 {
		t.Errorf("%d kinds, want 22: %v", n, v.Kinds())
	}
}

func TestCompetenceNamesSomeoneOrAGroup(t *testing.T) {
	const doc = "apiVersion: aims/v1\nkind: Competence\nid: c\ntitle: Underwriters\n"
	if got := validate(t, doc+"group: All underwriters\n"); len(got) != 0 {
		t.Errorf("a group is enough: %v", got)
	}
	want := []string{`x.yaml:1:1: error: document needs one of the fields "subject" or "group" [AIMS-S003]`}
	if diff := cmp.Diff(want, validate(t, doc)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// New trusts the embedded schemas (see base); this is where they earn it:
// every schema compiles with the metaschema check on.
func TestEmbeddedSchemasPassMetaschema(t *testing.T) {
	v, err := newAt(checkedBase)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := fs.Glob(schemas.FS, "*.schema.json")
	for _, f := range files {
		if _, err := v.schema(f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	// The check is real: a schema the metaschema refuses does not compile.
	bad, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"type": 5}`))
	if err := v.compiler.AddResource(checkedBase+"bad.schema.json", bad); err != nil {
		t.Fatal(err)
	}
	if _, err := v.schema("bad.schema.json"); err == nil {
		t.Error(`{"type": 5} compiled under checkedBase: the metaschema check is off`)
	}
}

// A key that fails propertyNames is reported at the key, every run. The
// library hands back a location that later siblings overwrite, so the
// position used to depend on map order: an unknown rule id under `rules:`
// was reported at ten different lines over fifty runs.
func TestBadKeyIsReportedAtTheKeyEveryRun(t *testing.T) {
	src := `apiVersion: aims/v1
kind: Manifest
title: t
owner: o
organization:
  name: Acme
settings:
  evidence_max_age_days: 365
rules:
  AIMS-G024:
    severity: info
    reason: A reason long enough to count.
  AIMS-BOGUS:
    severity: info
    reason: A reason long enough to count.
documents:
  include: ["**"]
`
	want := []string{`x.yaml:13:3: error: rules: "AIMS-BOGUS" is not a valid key (A rule id such as AIMS-G024; aims rules lists them) [AIMS-S005]`}
	for range 30 {
		if diff := cmp.Diff(want, validate(t, src)); diff != "" {
			t.Fatalf("(-want +got):\n%s", diff)
		}
	}
}
