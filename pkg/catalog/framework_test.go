package catalog

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFrameworkRegistry(t *testing.T) {
	if diff := cmp.Diff([]string{"iso42001", "nist-ai-rmf", "eu-ai-act", "iso27001", "iso9001", "iso31000"}, Frameworks()); diff != "" {
		t.Errorf("frameworks (-want +got):\n%s", diff)
	}
	c, err := Framework("iso42001")
	if err != nil || c != ISO42001() || c.Name != "ISO/IEC 42001:2023" {
		t.Fatalf("Framework(iso42001) = %v, %v", c, err)
	}
	if _, err := Framework("nist-csf"); err == nil || err.Error() != `unknown framework "nist-csf" (want one of iso42001, nist-ai-rmf, eu-ai-act, iso27001, iso9001, iso31000)` {
		t.Errorf("Framework(nist-csf) = %v, want an error listing the known frameworks", err)
	}
	for _, e := range c.Requirements() {
		if e.Framework != "iso42001" {
			t.Errorf("%s: framework %q", e.ID, e.Framework)
		}
	}
}

// Ids are qualified by their framework: iso42001:A.5.4 is ISO/IEC 42001's
// A.5.4, iso27001:A.5.4 is not, and a plain id is the catalog's own.
func TestQualifiedIDs(t *testing.T) {
	c := ISO42001()
	e, ok := c.Lookup("A.5.4")
	if !ok || e.QID() != "iso42001:A.5.4" {
		t.Fatalf("Lookup(A.5.4) = %+v, %v", e, ok)
	}
	if q, ok := c.Lookup("iso42001:A.5.4"); !ok || q != e {
		t.Errorf("Lookup(iso42001:A.5.4) = %+v, %v; want %+v", q, ok, e)
	}
	if _, ok := c.Lookup("iso27001:A.5.4"); ok {
		t.Error("Lookup(iso27001:A.5.4) found an ISO/IEC 42001 control")
	}
	if r, ok := Resolve("iso42001:6.1.2"); !ok || r.ID != "6.1.2" {
		t.Errorf("Resolve(iso42001:6.1.2) = %+v, %v", r, ok)
	}
	for _, qid := range []string{"iso27001:A.5.3", "nist-csf:GV.OC-01", "A.5.4", "iso42001:A.99"} {
		if _, ok := Resolve(qid); ok {
			t.Errorf("Resolve(%s) found an entry", qid)
		}
	}
	if fw, id := SplitQID("6.1.2"); fw != "" || id != "6.1.2" {
		t.Errorf("SplitQID(6.1.2) = %q, %q", fw, id)
	}
}

// A framework file names its columns; one without phases or
// documented-information flags (as NIST AI RMF would be) leaves them out,
// and a malformed file is refused at file:line.
func TestParseColumns(t *testing.T) {
	c := &Catalog{ID: "x"}
	err := parse(c, "x.tsv", "# id\tkind\ttitle\tparent\nGOVERN\tgroup\tGovern\t\nGOVERN 1.1\tsubcategory\tLegal requirements\tGOVERN\n")
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{{Framework: "x", ID: "GOVERN 1.1", Kind: "subcategory", Title: "Legal requirements", Parent: "GOVERN"}}
	if diff := cmp.Diff(want, c.Children("GOVERN")); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	for _, tt := range []struct{ name, data, want string }{
		{"no header", "A\tgroup\tA\n", "x.tsv:1: want a header line"},
		{"unknown column", "# id\tkind\ttitle\tcolour\n", `x.tsv:1: unknown column "colour"`},
		{"missing title", "# id\tkind\n", "x.tsv:1: no title column"},
		{"short line", "# id\tkind\ttitle\nA\tgroup\n", "x.tsv:2: 2 fields, want 3"},
		{"duplicate", "# id\tkind\ttitle\nA\tgroup\tA\nA\tgroup\tB\n", "x.tsv:3: duplicate id A"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := parse(&Catalog{ID: "x"}, "x.tsv", tt.data)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("parse = %v, want an error starting %q", err, tt.want)
			}
		})
	}
}

// Each framework aims knows holds what its crosswalk needs: the 72 NIST AI
// RMF subcategories under the four functions, the EU AI Act articles of
// issue 10, ISO/IEC 27001's harmonized-structure clauses; every entry titled
// and in a group, its id qualified with its own framework.
func TestFrameworkContents(t *testing.T) {
	for _, tt := range []struct {
		id     string
		groups []string
		kinds  map[Kind]int
	}{
		{"nist-ai-rmf", []string{"GOVERN", "MAP", "MEASURE", "MANAGE"}, map[Kind]int{"subcategory": 72}},
		{"eu-ai-act", []string{"all", "prohibited", "high-risk", "transparency"}, map[Kind]int{"article": 15}},
		{"iso27001", []string{"4", "5", "6", "7", "8", "9", "10", "A.5", "A.6", "A.7", "A.8"}, map[Kind]int{Clause: 30, Control: 21}},
		{"iso9001", []string{"4", "5", "6", "7", "8", "9", "10"}, map[Kind]int{Clause: 28}},
		{"iso31000", []string{"6"}, map[Kind]int{"step": 8}},
	} {
		t.Run(tt.id, func(t *testing.T) {
			c, err := Framework(tt.id)
			if err != nil {
				t.Fatal(err)
			}
			var groups []string
			for _, g := range c.Of(Group) {
				groups = append(groups, g.ID)
			}
			if diff := cmp.Diff(tt.groups, groups); diff != "" {
				t.Errorf("groups (-want +got):\n%s", diff)
			}
			kinds := map[Kind]int{}
			for _, e := range c.Requirements() {
				kinds[e.Kind]++
				if g, ok := c.Lookup(e.Parent); !ok || g.Kind != Group {
					t.Errorf("%s: parent %q is not a group", e.ID, e.Parent)
				}
				if e.Title == "" || e.Framework != tt.id || e.QID() != tt.id+":"+e.ID {
					t.Errorf("%s: title %q, framework %q, qid %q", e.ID, e.Title, e.Framework, e.QID())
				}
			}
			if diff := cmp.Diff(tt.kinds, kinds); diff != "" {
				t.Errorf("entries by kind (-want +got):\n%s", diff)
			}
		})
	}
	// The same local id in two frameworks is two entries.
	a, _ := Resolve("iso42001:A.5.4")
	b, _ := Resolve("iso27001:A.5.4")
	if a.Title == b.Title || b.Framework != "iso27001" {
		t.Errorf("iso42001:A.5.4 %q and iso27001:A.5.4 %q are not told apart", a.Title, b.Title)
	}
}
