package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/aims-dev/aims/pkg/catalog"
	"github.com/aims-dev/aims/pkg/gap"
)

// aims gaps --framework nist-ai-rmf --format json on the complete example
// gives a derived status for each of the 72 subcategories, each traced to
// its ISO/IEC 42001 requirements (with their statuses from aims gaps) and
// the mapping's source; a subcategory is met exactly when all of them are
// (but those the SoA excludes).
func TestGapsFrameworkNISTJSON(t *testing.T) {
	out, errOut, code := runCLI(t, "-C", "../../examples/northwind", "gaps", "--framework", "nist-ai-rmf", "--format", "json", "--as-of", "2026-12-01")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var v gap.FrameworkView
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	iso, _, _ := runCLI(t, "-C", "../../examples/northwind", "gaps", "--format", "json", "--as-of", "2026-12-01")
	var res gap.Result
	if err := json.Unmarshal([]byte(iso), &res); err != nil {
		t.Fatal(err)
	}
	status := map[string]gap.Status{}
	for _, r := range res.Requirements {
		status[catalog.Qualify("iso42001", r.ID)] = r.Status
	}
	cat, _ := catalog.Framework("nist-ai-rmf")
	var want, got []string
	for _, e := range cat.Requirements() {
		want = append(want, e.QID())
	}
	for _, it := range v.Items {
		got = append(got, it.ID)
		if !it.Derived || len(it.Requirements) == 0 {
			t.Errorf("%s: derived %v, %d requirements", it.ID, it.Derived, len(it.Requirements))
		}
		allMet := true
		for _, r := range it.Requirements {
			if r.Source != "nist-crosswalk" || r.Type == "" || r.Status != status[r.ID] {
				t.Errorf("%s -> %s: source %q type %q status %q (aims gaps: %q)", it.ID, r.ID, r.Source, r.Type, r.Status, status[r.ID])
			}
			if r.Status != gap.Met && r.Status != gap.Excluded { // excluded in the SoA: not applicable
				allMet = false
				if !slices.Contains(it.NotMet, r.ID) {
					t.Errorf("%s: %s is %s but not listed as not met", it.ID, r.ID, r.Status)
				}
			}
		}
		if (it.Status == gap.Met) != allMet {
			t.Errorf("%s is %s, but all requirements met is %v", it.ID, it.Status, allMet)
		}
	}
	if !slices.Equal(want, got) || len(got) != 72 {
		t.Errorf("items %d, want the 72 subcategories in order:\n%s", len(got), strings.Join(got, "\n"))
	}
	if v.Summary.Total != 72 || v.Summary.Met+v.Summary.Partial+v.Summary.Missing+v.Summary.Excluded != 72 {
		t.Errorf("summary %+v", v.Summary)
	}
}
