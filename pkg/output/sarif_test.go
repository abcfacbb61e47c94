package output

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/aims-dev/aims/pkg/diag"
)

type sarifOut struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Rules []struct {
					ID, Name, HelpURI string
					ShortDescription  struct{ Text string }
					FullDescription   struct{ Text string }
					Help              struct{ Text, Markdown string }
				}
			}
		}
		Results []struct {
			RuleID    string
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct{ URI, URIBaseID string }
				}
			}
			PartialFingerprints map[string]string
		}
	}
}

func renderSARIF(t *testing.T, l diag.List, opts Options) (string, sarifOut) {
	t.Helper()
	var b bytes.Buffer
	w, err := New("sarif", &b, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteAll(w, l, 3); err != nil {
		t.Fatal(err)
	}
	var log sarifOut
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	return b.String(), log
}

// With the AIMS in a folder of the repository and a file name with a space,
// URIs are percent-encoded paths from the repository root and the log still
// validates against the SARIF 2.1.0 schema.
func TestSARIFRepositoryPathsAreEncodedURIs(t *testing.T) {
	l := diag.List{
		{Pos: diag.Pos{File: "risk/risk register.yaml", Line: 4, Col: 3}, Severity: diag.Error, Code: "AIMS-S002", Msg: `unknown field "ownr"`},
		{Severity: diag.Error, Code: "AIMS-G060", Msg: "no internal audit"},
	}
	// Started inside the AIMS (Prefix "."), which is compliance/aims in the repository.
	out, log := renderSARIF(t, l, Options{Prefix: ".", RepoPrefix: "compliance/aims"})
	validateJSON(t, "testdata/sarif-schema-2.1.0.json", out)
	var got []string
	for _, r := range log.Runs[0].Results {
		a := r.Locations[0].PhysicalLocation.ArtifactLocation
		got = append(got, a.URIBaseID+" "+a.URI)
	}
	want := []string{"%SRCROOT% compliance/aims/risk/risk%20register.yaml", "%SRCROOT% compliance/aims/aims.yaml"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("URIs (-want +got):\n%s", diff)
	}

	// The schema test would catch the space unencoded.
	raw := strings.Replace(out, "risk%20register", "risk register", 1)
	c := strictCompiler()
	if err := c.AddResource("s.json", mustJSON(t, "testdata/sarif-schema-2.1.0.json")); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("s.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, _ := jsonschema.UnmarshalJSON(strings.NewReader(raw))
	if sch.Validate(inst) == nil {
		t.Error("a URI with a raw space validates; the schema check proves nothing")
	}
}

// Rules carry what code scanning shows beside an alert.
func TestSARIFRuleMetadata(t *testing.T) {
	rules := map[string]Rule{
		"AIMS-S002": {ID: "AIMS-S002", Severity: diag.Error, Refs: []string{"7.5.2"}, Title: "Unknown field", Description: "A field the schema does not define (often a typo)."},
		"AIMS-G040": {ID: "AIMS-G040", Severity: diag.Error, Title: "No impact assessment", Description: "A system's tier requires an impact assessment.", Fix: "Add an `ImpactAssessment` naming the system."},
	}
	_, log := renderSARIF(t, nil, Options{Rules: rules})
	r := log.Runs[0].Tool.Driver.Rules
	if len(r) != 2 || r[0].ID != "AIMS-G040" {
		t.Fatalf("rules %+v", r)
	}
	if r[1].Name != "UnknownField" || r[1].ShortDescription.Text != "Unknown field" || r[1].FullDescription.Text != rules["AIMS-S002"].Description {
		t.Errorf("rule = %+v", r[1])
	}
	if r[1].HelpURI != RulesDoc+"#aims-s002" {
		t.Errorf("helpUri = %q", r[1].HelpURI)
	}
	if !strings.Contains(r[1].Help.Markdown, "ISO/IEC 42001: 7.5.2") || strings.Contains(r[1].Help.Markdown, "How to fix") {
		t.Errorf("help without a fix:\n%s", r[1].Help.Markdown)
	}
	if !strings.Contains(r[0].Help.Markdown, "How to fix: Add an `ImpactAssessment` naming the system.") {
		t.Errorf("help with a fix:\n%s", r[0].Help.Markdown)
	}
}

// A finding keeps its fingerprint when lines move and its date ages; two
// findings about different fields do not share one.
func TestSARIFFingerprintsFollowDocumentAndField(t *testing.T) {
	fields := map[diag.Pos][2]string{
		{File: "risk.yaml", Line: 5, Col: 8}:  {"r1", "/owner"},
		{File: "risk.yaml", Line: 9, Col: 8}:  {"r1", "/owner"}, // the same field after lines were added above
		{File: "risk.yaml", Line: 6, Col: 10}: {"r1", "/treatment"},
	}
	locate := func(p diag.Pos) (string, string) { f := fields[p]; return f[0], f[1] }
	print := func(line, col int, msg string) string {
		l := diag.List{{Pos: diag.Pos{File: "risk.yaml", Line: line, Col: col}, Severity: diag.Error, Code: "AIMS-G031", Msg: msg}}
		_, log := renderSARIF(t, l, Options{Locate: locate})
		return log.Runs[0].Results[0].PartialFingerprints[sarifFingerprint]
	}
	a := print(5, 8, "review overdue since 2026-10-01 (61 days)")
	if a == "" {
		t.Fatal("no fingerprint")
	}
	if b := print(9, 8, "review overdue since 2026-10-01 (62 days)"); b != a {
		t.Errorf("moved and a day older: fingerprint %s, was %s", b, a)
	}
	if c := print(6, 10, "review overdue since 2026-10-01 (61 days)"); c == a {
		t.Error("another field has the same fingerprint")
	}
	if d := print(5, 8, "owner refers to unknown id"); d == a {
		t.Error("another problem with the same field has the same fingerprint")
	}
}

func mustJSON(t *testing.T, file string) any {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return v
}
