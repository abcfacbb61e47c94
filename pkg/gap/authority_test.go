package gap_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/aims-dev/aims/pkg/gap"
	"github.com/aims-dev/aims/pkg/workspace"
)

// edited is a testdata/mini file with old replaced by new (once).
func edited(t *testing.T, file, old, new string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/mini/" + file)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(b), old) != 1 {
		t.Fatalf("%q is not in %s exactly once", old, file)
	}
	return strings.Replace(string(b), old, new, 1)
}

func TestApprovalAuthority(t *testing.T) {
	tests := []struct {
		name       string
		edits      map[string]string
		g009, g095 []string
		policyMet  bool // 5.2
	}{
		{name: "top management approves the AI policy", policyMet: true},
		{
			name:  "the AIMS manager approves her own AI policy",
			edits: map[string]string{"policy.md": edited(t, "policy.md", "approved_by: cleo", "approved_by: ann")},
			g009:  []string{"policy.md:10:1: error: Policy AI policy is approved by ann, who holds no role with authority to approve the AI policy (may approve: top management)"},
			g095:  []string{"policy.md:10:1: error: Policy AI policy is approved by ann, who is its owner (aims-manager): its approval must be independent"},
		},
		{
			name: "aims.yaml gives the AIMS manager the authority and asks no independence",
			edits: map[string]string{
				"policy.md": edited(t, "policy.md", "approved_by: cleo", "approved_by: ann"),
				"aims.yaml": edited(t, "aims.yaml", "settings:", "approvals:\n  - {kind: ai_policy, roles: [aims-manager]}\nsettings:"),
			},
			policyMet: true,
		},
		{
			name:      "a role that lists a kind makes that kind judged",
			edits:     map[string]string{"org.yaml": edited(t, "org.yaml", "top_management: true", "top_management: true\napproves: [RiskCriteria]")},
			g009:      []string{"criteria.yaml:6:1: error: RiskCriteria Risk criteria is approved by ann, who holds no role with authority to approve RiskCriteria documents (may approve: role ceo)"},
			policyMet: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, l := analyze(t, fixture(t, tt.edits), "2026-12-01")
			if diff := cmp.Diff(tt.g009, findings(l, "AIMS-G009")); diff != "" {
				t.Errorf("G009 (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.g095, findings(l, "AIMS-G095")); diff != "" {
				t.Errorf("G095 (-want +got):\n%s", diff)
			}
			if got := status(res, "5.2").Status == gap.Met; got != tt.policyMet {
				t.Errorf("5.2 met = %v, want %v (reasons %q)", got, tt.policyMet, status(res, "5.2").Reasons)
			}
		})
	}
}

func TestAcceptanceAuthority(t *testing.T) {
	criteria := edited(t, "criteria.yaml", "acceptance_threshold: 4", "acceptance_threshold: 2\nacceptance_authority:\n  - {max_score: 2, risk_owner: true}\n  - {max_score: 9, role: ceo}")
	accepted := func(by string) string {
		return edited(t, "risks.yaml", "next_review:", "acceptance: {approved_by: "+by+", approved_on: 2026-11-02, rationale: Residual risk is small.}\nnext_review:")
	}
	for _, tt := range []struct {
		by   string
		want []string
	}{
		{"cleo", nil},
		{"ann", []string{"risks.yaml:17:14: error: risk R-1 is accepted by ann at a score of 3, but under the acceptance authority of risk criteria criteria only ceo may accept it"}},
	} {
		t.Run(tt.by, func(t *testing.T) {
			res, l := analyze(t, fixture(t, map[string]string{"criteria.yaml": criteria, "risks.yaml": accepted(tt.by)}), "2026-12-01")
			if diff := cmp.Diff(tt.want, findings(l, "AIMS-G036")); diff != "" {
				t.Errorf("G036 (-want +got):\n%s", diff)
			}
			if r := status(res, "6.1.3"); tt.want != nil && (r.Status == gap.Met || !strings.Contains(strings.Join(r.Reasons, "\n"), "accepted by ann")) {
				t.Errorf("6.1.3 is %s with reasons %q, want the acceptance among them", r.Status, r.Reasons)
			}
		})
	}
}

// Document control from git is gap input: gap judges what workspace found.
func TestDocumentControlFindings(t *testing.T) {
	ws, err := workspace.Open(fixture(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	now, _ := time.Parse(time.DateOnly, "2026-12-01")
	rec := gap.ApprovalRecord{File: "policy.md", ID: "ai-policy", Hash: strings.Repeat("a", 40), Short: "aaaaaaa", Author: "Ann", Email: "ann@example.com", Date: "2026-01-12"}
	changed := rec
	changed.ChangedIn = "an uncommitted edit"
	for _, tt := range []struct {
		name       string
		versioned  bool
		rec        gap.ApprovalRecord
		g097, g098 int
	}{
		{"outside git nothing is judged", false, changed, 0, 0},
		{"recorded by someone else", true, rec, 0, 1},
		{"changed after approval", true, changed, 1, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := gap.Analyze(ws.Model, ws.Catalog, ws.Diags, gap.Options{Now: now, Tiers: ws.Tiers, Versioned: tt.versioned, Approvals: []gap.ApprovalRecord{tt.rec}})
			if got := len(findings(res.Findings, "AIMS-G097")); got != tt.g097 {
				t.Errorf("G097 findings = %d, want %d", got, tt.g097)
			}
			if got := len(findings(res.Findings, "AIMS-G098")); got != tt.g098 {
				t.Errorf("G098 findings = %d, want %d", got, tt.g098)
			}
			if tt.g097 > 0 && status(res, "5.2").Status == gap.Met {
				t.Errorf("5.2 is met although the AI policy changed after its approval")
			}
		})
	}
}
