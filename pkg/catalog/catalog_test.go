package catalog

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The reference catalog is verified data shipped beside the repository; the
// embedded one must hold exactly its ids, kinds and parents.
func TestMatchesReference(t *testing.T) {
	b, err := os.ReadFile("../../../shared/reference/iso42001-catalog.tsv")
	if err != nil {
		t.Skipf("reference catalog not available: %v", err)
	}
	var want, got []string
	for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if i == 0 {
			continue
		}
		f := strings.Split(line, "\t")
		kind := "clause"
		if f[1] == "annex_a_control" {
			kind = "control"
		}
		want = append(want, f[0]+" "+kind+" "+f[3])
	}
	for _, e := range ISO42001().Requirements() {
		got = append(got, e.ID+" "+string(e.Kind)+" "+e.Parent)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("catalog differs from reference (-want +got):\n%s", diff)
	}
}

func TestCounts(t *testing.T) {
	c := ISO42001()
	if n := len(c.Of(Clause)); n != 32 {
		t.Errorf("%d clauses, want 32", n)
	}
	if n := len(c.Of(Control)); n != 38 {
		t.Errorf("%d controls, want 38", n)
	}
	if n := len(c.Of(Group)); n != 16 {
		t.Errorf("%d groups, want 7 clause groups + 9 Annex A areas", n)
	}
	for _, e := range c.Requirements() {
		if _, ok := c.Lookup(e.Parent); !ok {
			t.Errorf("%s: parent %q is not a group", e.ID, e.Parent)
		}
		if e.Title == "" || e.Guidance == "" {
			t.Errorf("%s: missing title or guidance", e.ID)
		}
	}
}

func TestLookupsAndSuggest(t *testing.T) {
	c := ISO42001()
	if !c.IsRequirement("A.6.2.4") || c.IsRequirement("A.6") || c.IsRequirement("A.4.1") {
		t.Error("IsRequirement: A.6.2.4 is a control, A.6 a group, A.4.1 does not exist")
	}
	if got := Normalize("B.7.4"); got != "A.7.4" {
		t.Errorf("Normalize(B.7.4) = %s", got)
	}
	if got := c.Suggest("A.4.1"); !strings.HasPrefix(got, "A.4.") {
		t.Errorf("Suggest(A.4.1) = %q, want an A.4 control", got)
	}
}
