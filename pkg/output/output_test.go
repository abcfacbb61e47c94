package output

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/aims-dev/aims/pkg/diag"
)

func sample() diag.List {
	return diag.List{
		{Severity: diag.Error, Code: "AIMS-G060", Msg: "no internal audit completed in the last 12 months", Refs: []string{"9.2.1"}},
		{Pos: diag.Pos{File: "risks/r.yaml", Line: 12, Col: 3}, Severity: diag.Error, Code: "AIMS-G030", Msg: "risk R-1 scores 9, above 6, and has no treatment", Refs: []string{"6.1.3", "8.3"}},
		{Pos: diag.Pos{File: "people.yaml", Line: 8, Col: 5}, Severity: diag.Error, Code: "AIMS-R001", Msg: `duplicate id "alice"`, Related: []diag.Pos{{File: "people.yaml", Line: 3, Col: 5}}},
		{Pos: diag.Pos{File: "soa.yaml", Line: 4, Col: 1}, Severity: diag.Warning, Code: "AIMS-G015", Msg: "control A.5.2: 50% done, see <notes>\nline two"},
	}
}

func render(t *testing.T, format string, opts Options) string {
	t.Helper()
	var b bytes.Buffer
	w, err := New(format, &b, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteAll(w, sample(), 7); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestText(t *testing.T) {
	got := render(t, "text", Options{Prefix: "examples/x"})
	want := `error: no internal audit completed in the last 12 months [AIMS-G060]
examples/x/risks/r.yaml:12:3: error: risk R-1 scores 9, above 6, and has no treatment [AIMS-G030]
examples/x/people.yaml:8:5: error: duplicate id "alice" (also at examples/x/people.yaml:3:5) [AIMS-R001]
examples/x/soa.yaml:4:1: warning: control A.5.2: 50% done, see <notes>\nline two [AIMS-G015]
7 documents checked: 3 errors, 1 warning
`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// The SARIF log validates against the SARIF 2.1.0 schema, carries rule
// metadata and puts every result on a file and line (code scanning drops
// results without a location).
func TestSARIFValidatesAgainstSchema(t *testing.T) {
	rules := map[string]Rule{"AIMS-G030": {ID: "AIMS-G030", Severity: diag.Error, Refs: []string{"6.1.3"}, Title: "Risk above threshold untreated", Description: "A risk scores above the acceptance threshold and has no treatment."}}
	out := render(t, "sarif", Options{Prefix: "aims", Rules: rules, Version: "1.2.3"})

	validateJSON(t, "testdata/sarif-schema-2.1.0.json", out)

	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct{ ID string }
				}
			}
			Results []struct {
				RuleID    string
				RuleIndex int
				Level     string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine, StartColumn int }
					}
				}
				RelatedLocations []json.RawMessage
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if len(run.Results) != 4 {
		t.Fatalf("%d results, want 4", len(run.Results))
	}
	for _, r := range run.Results {
		if run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("result %s points at rule %s", r.RuleID, run.Tool.Driver.Rules[r.RuleIndex].ID)
		}
		if len(r.Locations) != 1 || r.Locations[0].PhysicalLocation.ArtifactLocation.URI == "" || r.Locations[0].PhysicalLocation.Region.StartLine == 0 {
			t.Errorf("result %s has no file and line: %+v", r.RuleID, r.Locations)
		}
	}
	loc := run.Results[1].Locations[0].PhysicalLocation
	if loc.ArtifactLocation.URI != "aims/risks/r.yaml" || loc.Region.StartLine != 12 || loc.Region.StartColumn != 3 {
		t.Errorf("location = %+v, want aims/risks/r.yaml:12:3", loc)
	}
	if got := run.Results[0].Locations[0].PhysicalLocation.ArtifactLocation.URI; got != "aims/aims.yaml" {
		t.Errorf("an AIMS-wide finding is placed on %q, want aims/aims.yaml", got)
	}
	if len(run.Results[2].RelatedLocations) != 1 {
		t.Errorf("duplicate id result has %d related locations, want 1", len(run.Results[2].RelatedLocations))
	}
}

func TestJUnitIsWellFormed(t *testing.T) {
	out := render(t, "junit", Options{})
	var suites struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suite    []struct {
			Cases []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal([]byte(out), &suites); err != nil {
		t.Fatalf("not well-formed XML: %v\n%s", err, out)
	}
	if suites.Tests != 4 || suites.Failures != 3 {
		t.Errorf("tests=%d failures=%d, want 4 and 3 (warnings pass with output)", suites.Tests, suites.Failures)
	}
	if !strings.Contains(out, "&lt;notes&gt;") {
		t.Error("markup in messages is not escaped")
	}

	// A clean run is one passing case, never an empty suite.
	var b bytes.Buffer
	w, _ := New("junit", &b, Options{})
	_ = WriteAll(w, nil, 3)
	if !strings.Contains(b.String(), `tests="1" failures="0"`) {
		t.Errorf("clean run:\n%s", b.String())
	}
}

func TestGitHubAnnotations(t *testing.T) {
	got := strings.Split(strings.TrimSpace(render(t, "github", Options{Prefix: "aims"})), "\n")
	want := []string{
		"::error file=aims/aims.yaml,line=1,title=AIMS-G060::no internal audit completed in the last 12 months",
		"::error file=aims/risks/r.yaml,line=12,col=3,title=AIMS-G030::risk R-1 scores 9, above 6, and has no treatment",
		`::error file=aims/people.yaml,line=8,col=5,title=AIMS-R001::duplicate id "alice"`,
		"::warning file=aims/soa.yaml,line=4,col=1,title=AIMS-G015::control A.5.2: 50%25 done, see <notes>%0Aline two",
		"7 documents checked: 3 errors, 1 warning",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestJSONShape(t *testing.T) {
	var r JSONReport
	if err := json.Unmarshal([]byte(render(t, "json", Options{})), &r); err != nil {
		t.Fatal(err)
	}
	if r.Summary.Errors != 3 || r.Summary.Warnings != 1 || len(r.Findings) != 4 {
		t.Errorf("summary %+v with %d findings", r.Summary, len(r.Findings))
	}
	f := r.Findings[1]
	if f.Rule != "AIMS-G030" || f.File != "risks/r.yaml" || f.Line != 12 || f.Column != 3 || !cmp.Equal(f.Refs, []string{"6.1.3", "8.3"}) {
		t.Errorf("finding = %+v", f)
	}
}

func TestUnknownFormatListsValidOnes(t *testing.T) {
	_, err := New("xml", nil, Options{})
	if err == nil || !strings.Contains(err.Error(), "github, gitlab, json, junit, sarif, text") {
		t.Errorf("err = %v", err)
	}
}

// validateJSON checks out against a JSON Schema in testdata, formats (uri,
// date-time) asserted as the published schemas intend.
func validateJSON(t *testing.T, schemaFile, out string) {
	t.Helper()
	c := strictCompiler()
	f, err := os.Open(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource("schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("%s does not validate: %v\n%s", schemaFile, err, out)
	}
}

// strictCompiler asserts formats, with uri and uri-reference checked as RFC
// 3986 (and ajv-formats) read them: Go's url.Parse accepts a raw space,
// which GitHub's SARIF validation rejects.
func strictCompiler() *jsonschema.Compiler {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	for _, name := range []string{"uri", "uri-reference"} {
		c.RegisterFormat(&jsonschema.Format{Name: name, Validate: func(v any) error {
			s, ok := v.(string)
			if !ok {
				return nil
			}
			if !rfc3986.MatchString(s) {
				return fmt.Errorf("%q has characters a URI must percent-encode", s)
			}
			if name == "uri" && !strings.Contains(s, ":") {
				return fmt.Errorf("%q has no scheme", s)
			}
			return nil
		}})
	}
	return c
}

var rfc3986 = regexp.MustCompile(`^(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$`)
