package output

import (
	"bytes"
	"encoding/xml"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aims-dev/aims/pkg/diag"
)

type junitOut struct {
	Suite []struct {
		Cases []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			File      string `xml:"file,attr"`
			Line      int    `xml:"line,attr"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func renderJUnit(t *testing.T, l diag.List, docs int, opts Options) junitOut {
	t.Helper()
	var b bytes.Buffer
	w, err := New("junit", &b, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteAll(w, l, docs); err != nil {
		t.Fatal(err)
	}
	var out junitOut
	if err := xml.Unmarshal(b.Bytes(), &out); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	return out
}

// GitLab and xunit-viewer merge cases of one name, so a second finding of a
// rule at one place must not share the first one's name; names carry no
// line numbers and no trailing space; file and line say where.
func TestJUnitCaseNamesAreUniqueAndStable(t *testing.T) {
	at := diag.Pos{File: "risk.yaml", Line: 7, Col: 3}
	l := diag.List{
		{Severity: diag.Error, Code: "AIMS-G060", Msg: "no internal audit completed  in the last 12 months"},
		{Pos: at, Severity: diag.Error, Code: "AIMS-R002", Msg: `systems[0] refers to unknown id "bot"`},
		{Pos: at, Severity: diag.Error, Code: "AIMS-R002", Msg: `systems[0] refers to unknown id "bot"`},
		{Pos: diag.Pos{File: "notes.yaml", Line: 2, Col: 1}, Severity: diag.Error, Code: "AIMS-L001", Msg: "YAML syntax: bad"},
	}
	locate := func(p diag.Pos) (string, string) {
		if p == at {
			return "Risk/r1", "/systems/0"
		}
		return "", ""
	}
	out := renderJUnit(t, l, 5, Options{Prefix: "aims", RepoPrefix: "compliance/aims", Locate: locate})
	type row struct {
		Name, Class, File string
		Line              int
	}
	var got []row
	for _, c := range out.Suite[0].Cases {
		got = append(got, row{c.Name, c.Classname, c.File, c.Line})
	}
	want := []row{
		{"AIMS-G060 no internal audit completed in the last 12 months", "aims", "", 0},
		{"AIMS-R002 Risk/r1/systems/0", "compliance/aims/risk.yaml", "compliance/aims/risk.yaml", 7},
		{"AIMS-R002 Risk/r1/systems/0 (2)", "compliance/aims/risk.yaml", "compliance/aims/risk.yaml", 7},
		{"AIMS-L001 YAML syntax: bad", "compliance/aims/notes.yaml", "compliance/aims/notes.yaml", 2},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// A clean run's one case has the same name whatever the document count, so
// CI history tracks it as one test.
func TestJUnitCleanRunHasAFixedName(t *testing.T) {
	a := renderJUnit(t, nil, 3, Options{}).Suite[0].Cases
	b := renderJUnit(t, nil, 143, Options{}).Suite[0].Cases
	if len(a) != 1 || len(b) != 1 || a[0].Name != b[0].Name || a[0].Name != cleanCase {
		t.Errorf("clean runs: %+v and %+v", a, b)
	}
}
