package catalog

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// referenceIDs reads testdata/iso42001-reference.tsv, the ids, kinds and
// parents of the verified reference catalog, as "id kind parent" lines.
func referenceIDs(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("testdata/iso42001-reference.tsv")
	if err != nil {
		t.Fatalf("reference catalog: %v", err)
	}
	var ids []string
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Split(line, "\t")
		if strings.HasPrefix(line, "#") || f[0] == "id" {
			continue
		}
		kind := map[string]string{"clause": "clause", "annex_a_control": "control"}[f[1]]
		ids = append(ids, f[0]+" "+kind+" "+f[2])
	}
	return ids
}

// The embedded catalog holds exactly the reference's ids, kinds and parents.
func TestMatchesReference(t *testing.T) {
	var got []string
	for _, e := range ISO42001().Requirements() {
		got = append(got, e.ID+" "+string(e.Kind)+" "+e.Parent)
	}
	if diff := cmp.Diff(referenceIDs(t), got); diff != "" {
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
