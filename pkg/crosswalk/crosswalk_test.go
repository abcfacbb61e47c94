package crosswalk

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aims-dev/aims/pkg/catalog"
)

// readTSV reads a reference file in testdata: its rows without the header.
func readTSV(t *testing.T, name string) [][]string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]string
	for _, line := range strings.Split(strings.Trim(string(b), "\n"), "\n")[1:] {
		rows = append(rows, strings.Split(line, "\t"))
	}
	return rows
}

func pairs(c *Crosswalk, source string) []string {
	var out []string
	for _, m := range c.Mappings() {
		if source == "" || m.Source == source {
			out = append(out, m.From+" -> "+m.To)
		}
	}
	slices.Sort(out)
	return out
}

// The NIST AI RMF crosswalk is the NIST-hosted one, row for row (Annex B
// ids read as the Annex A controls they mirror), and every one of the 72
// subcategories maps to at least one ISO/IEC 42001 requirement.
func TestNISTCrosswalkIsThePublishedOne(t *testing.T) {
	c, err := For("nist-ai-rmf")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, f := range readTSV(t, "nist-ai-rmf-to-iso42001.tsv") {
		want = append(want, fmt.Sprintf("nist-ai-rmf:%s -> iso42001:%s", f[0], catalog.Normalize(f[2])))
	}
	slices.Sort(want)
	if diff := cmp.Diff(want, pairs(c, "nist-crosswalk")); diff != "" {
		t.Errorf("crosswalk differs from the published one (-want +got):\n%s", diff)
	}
	cat, _ := catalog.Framework("nist-ai-rmf")
	for _, e := range cat.Requirements() {
		if len(c.From(e.QID())) == 0 {
			t.Errorf("%s maps to nothing", e.ID)
		}
	}
}

// Every EU AI Act article and ISO/IEC 27001 item aims lists maps to
// ISO/IEC 42001, and no mapping claims to be published that is not.
func TestEveryItemIsMapped(t *testing.T) {
	for _, fw := range Frameworks() {
		c, _ := For(fw)
		cat, _ := catalog.Framework(fw)
		for _, e := range cat.Requirements() {
			if len(c.From(e.ID)) == 0 {
				t.Errorf("%s maps to nothing", e.QID())
			}
		}
		for _, m := range c.Mappings() {
			if s, _ := LookupSource(m.Source); s.Published && fw != "nist-ai-rmf" {
				t.Errorf("%s -> %s: source %s is published, but only the NIST crosswalk is", m.From, m.To, m.Source)
			}
		}
	}
}

// The derived ISO/IEC 27001 Annex A pairs are exactly the reference's pairs
// of an ISO/IEC 42001 requirement and an ISO/IEC 27001 Annex A control that
// share at least two SCF controls (the notable ones), each labelled derived.
func TestISO27001DerivedPairs(t *testing.T) {
	var want []string
	iso := catalog.ISO42001()
	for _, f := range readTSV(t, "derived-iso42001-to-iso27001-via-scf.tsv") {
		n, err := strconv.Atoi(f[2])
		if err != nil {
			t.Fatal(err)
		}
		if n >= 2 && strings.HasPrefix(f[1], "A.") && iso.IsRequirement(f[0]) {
			want = append(want, fmt.Sprintf("iso27001:%s -> iso42001:%s", f[1], f[0]))
		}
	}
	slices.Sort(want)
	c, _ := For("iso27001")
	if diff := cmp.Diff(want, pairs(c, "derived")); diff != "" {
		t.Errorf("derived pairs differ from the reference (-want +got):\n%s", diff)
	}
}

func TestObligations(t *testing.T) {
	provider := []string{"Art. 4", "Art. 9", "Art. 10", "Art. 11", "Art. 12", "Art. 13", "Art. 14", "Art. 15", "Art. 17", "Art. 72", "Art. 73"}
	for _, tt := range []struct {
		class, role string
		want        []string
		note        string
	}{
		{"high", "provider", provider, ""},
		{"high", "developer", provider, ""},
		{"high", "deployer", []string{"Art. 4", "Art. 26", "Art. 27"}, ""},
		{"high", "importer", []string{"Art. 4"}, "importers and distributors"},
		{"limited", "deployer", []string{"Art. 4", "Art. 50"}, ""},
		{"prohibited", "provider", []string{"Art. 4", "Art. 5"}, ""},
		{"minimal", "user", []string{"Art. 4"}, "minimal risk"},
		{"gpai", "provider", []string{"Art. 4"}, "Art. 51-56"},
		{"not_applicable", "provider", nil, "outside"},
		{"", "provider", nil, "not classified"},
	} {
		t.Run(tt.class+"/"+tt.role, func(t *testing.T) {
			got, note := Obligations(tt.class, tt.role)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("articles (-want +got):\n%s", diff)
			}
			if !strings.Contains(note, tt.note) {
				t.Errorf("note %q, want it to say %q", note, tt.note)
			}
		})
	}
	cat, _ := catalog.Framework(EUAIAct)
	for _, o := range obligations {
		if !cat.IsRequirement(o.article) {
			t.Errorf("obligation %s is not in the EU AI Act catalog", o.article)
		}
	}
	for a := range systemChecks {
		if !cat.IsRequirement(a) {
			t.Errorf("system checks of %s, which is not in the EU AI Act catalog", a)
		}
	}
}

// A crosswalk file that does not hold what it should is refused at
// file:line.
func TestParseErrors(t *testing.T) {
	for _, tt := range []struct{ name, row, want string }{
		{"unknown item", "GOVERN 9.9\t4.1\tintersects\tindicative\t", "x.tsv:2: GOVERN 9.9 is not a requirement of nist-ai-rmf"},
		{"group, not requirement", "GOVERN\t4.1\tintersects\tindicative\t", "x.tsv:2: GOVERN is not a requirement"},
		{"unknown iso id", "GOVERN 1.1\tA.4.1\tintersects\tindicative\t", "x.tsv:2: A.4.1 is not an ISO/IEC 42001 requirement"},
		{"bad type", "GOVERN 1.1\t4.1\tsupports\tindicative\t", `x.tsv:2: unknown mapping type "supports"`},
		{"unknown source", "GOVERN 1.1\t4.1\tequal\tvendor\t", `x.tsv:2: unknown mapping source "vendor"`},
		{"short", "GOVERN 1.1\t4.1\tequal", "x.tsv:2: 3 fields, want 5"},
		{"twice", "GOVERN 1.1\t4.1\tequal\tindicative\t\nGOVERN 1.1\t4.1\tsubset\tindicative\t", "x.tsv:3: GOVERN 1.1 to 4.1 mapped twice"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parse("nist-ai-rmf", "x.tsv", header+"\n"+tt.row+"\n")
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("parse = %v, want an error starting %q", err, tt.want)
			}
		})
	}
	if _, err := parse("nist-ai-rmf", "x.tsv", "# id\tiso\n"); err == nil {
		t.Error("a file with the wrong header parsed")
	}
}
