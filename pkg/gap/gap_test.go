package gap_test

import (
	"encoding/json"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/gap"
	"github.com/aims-dev/aims/pkg/workspace"
	"github.com/aims-dev/aims/schemas"
	"github.com/aims-dev/aims/templates"
)

// fixture loads testdata/mini into memory with edits applied: a value of
// "" deletes the file.
func fixture(t *testing.T, edits map[string]string) fs.FS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(os.DirFS("testdata/mini"), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path.Join("testdata/mini", p))
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range edits {
		if body == "" {
			delete(m, name)
			continue
		}
		m[name] = &fstest.MapFile{Data: []byte(body)}
	}
	return m
}

func analyze(t *testing.T, fsys fs.FS, asOf string) (*gap.Result, diag.List) {
	t.Helper()
	ws, err := workspace.Open(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if ws.Diags.Max() >= diag.Error {
		t.Fatalf("fixture does not validate: %v", ws.Diags)
	}
	now, _ := time.Parse(time.DateOnly, asOf)
	res := gap.Analyze(ws.Model, ws.Catalog, ws.Diags, gap.Options{Now: now, Tiers: ws.Tiers})
	return res, res.Findings
}

// findings renders the findings of one rule as "file:line:col: severity: msg".
func findings(l diag.List, rule string) []string {
	var out []string
	for _, d := range l {
		if d.Code == rule {
			out = append(out, strings.TrimSuffix(d.String(), " ["+rule+"]"))
		}
	}
	return out
}

func status(res *gap.Result, id string) gap.Requirement {
	for _, r := range res.Requirements {
		if r.ID == id {
			return r
		}
	}
	return gap.Requirement{}
}

func TestEvidenceFreshness(t *testing.T) {
	tests := []struct {
		asOf string
		want []string
	}{
		{"2027-02-28", nil},
		{"2027-03-15", []string{"evidence.yaml:8:12: warning: evidence ev-policy-comms is stale: maximum age of 365 days ended 2027-03-02 (13 days ago)"}},
		{"2027-06-01", []string{"evidence.yaml:8:12: error: evidence ev-policy-comms is stale: maximum age of 365 days ended 2027-03-02 (91 days ago)"}},
	}
	for _, tt := range tests {
		t.Run(tt.asOf, func(t *testing.T) {
			res, l := analyze(t, fixture(t, nil), tt.asOf)
			if diff := cmp.Diff(tt.want, findings(l, "AIMS-G020")); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			// Past the grace period the evidence no longer supports its control.
			comms := status(res, "7.4")
			wantValid := tt.asOf != "2027-06-01"
			if got := comms.Evidence[0].Valid; got != wantValid {
				t.Errorf("7.4 evidence valid = %v, want %v (%s)", got, wantValid, comms.Evidence[0].Note)
			}
		})
	}
}

func TestStatusIsEarned(t *testing.T) {
	res, _ := analyze(t, fixture(t, nil), "2026-12-01")
	tests := []struct {
		id   string
		want gap.Status
	}{
		{"5.2", gap.Met},         // approved AI policy with text
		{"7.4", gap.Met},         // a communication plan with a record, and current evidence
		{"A.10.4", gap.Excluded}, // not applicable, justified
		{"9.2.1", gap.Missing},   // no audit at all
		{"A.2.2", gap.Met},       // policy + SoA evidence
		{"4.3", gap.Missing},     // no scope document
	}
	for _, tt := range tests {
		if got := status(res, tt.id); got.Status != tt.want {
			t.Errorf("%s: %s, want %s (reasons %q)", tt.id, got.Status, tt.want, got.Reasons)
		}
	}
	if r := status(res, "4.3"); !r.Blocking {
		t.Errorf("a missing scope (documented information) must block certification")
	}
	// Supported (the system documents its intended use) but failing a rule
	// (the high-risk system has no human oversight): partial, with reasons.
	r := status(res, "A.9.4")
	if r.Status != gap.Partial || !slices.ContainsFunc(r.Reasons, func(s string) bool { return strings.Contains(s, "no human oversight defined") }) {
		t.Errorf("A.9.4 = %s %q, want partial naming the missing human oversight", r.Status, r.Reasons)
	}
	if !r.Blocking {
		t.Errorf("an error on a high-risk system must block certification")
	}
}

func TestFreshScaffoldHasNothingMet(t *testing.T) {
	src, err := fs.Sub(templates.Init, "init")
	if err != nil {
		t.Fatal(err)
	}
	res, _ := analyze(t, src, "2026-12-01")
	for _, r := range res.Requirements {
		if r.Status == gap.Met {
			t.Errorf("%s is met in a fresh scaffold: %+v", r.ID, r.Evidence)
		}
	}
}

func TestRiskRules(t *testing.T) {
	untreated := `apiVersion: aims/v1
kind: Risk
id: R-1
title: Unfair scores
owner: ann
systems: [scorer]
source: fairness
likelihood: 3
impact: 2
next_review: 2026-11-01
`
	_, l := analyze(t, fixture(t, map[string]string{"risks.yaml": untreated}), "2026-12-01")
	want := []string{"risks.yaml:8:1: error: risk R-1 scores 6 (likelihood 3 x impact 2), above the acceptance threshold 4, and has no treatment"}
	if diff := cmp.Diff(want, findings(l, "AIMS-G030")); diff != "" {
		t.Errorf("G030 (-want +got):\n%s", diff)
	}
	want = []string{"risks.yaml:10:1: error: risk R-1 was due for review on 2026-11-01"}
	if diff := cmp.Diff(want, findings(l, "AIMS-G034")); diff != "" {
		t.Errorf("G034 (-want +got):\n%s", diff)
	}
	// The treatment in the fixture is due 2026-12-31: overdue a month later.
	_, l = analyze(t, fixture(t, nil), "2027-01-15")
	if got := findings(l, "AIMS-G035"); len(got) != 1 {
		t.Errorf("G035 = %v, want the overdue treatment", got)
	}
}

func TestSoARules(t *testing.T) {
	soa := `apiVersion: aims/v1
kind: Applicability
id: soa
title: SoA
owner: aims-manager
approved_by: ann
approved_on: 2026-01-10
controls:
  - {control: A.2.2, applicable: true, implementation: implemented, evidence: [ev-policy-comms]}
  - {control: A.5.4, applicable: false}
  - {control: A.2.2, applicable: true, implementation: implemented}
  - {control: A.2.3, applicable: true, implementation: implemented, evidence: [ev-bias]}
`
	_, l := analyze(t, fixture(t, map[string]string{"soa.yaml": soa}), "2026-12-01")
	if diff := cmp.Diff([]string{"soa.yaml:12:80: warning: control A.2.3 cites evidence ev-bias, which does not list A.2.3 in its satisfies"}, findings(l, "AIMS-G017")); diff != "" {
		t.Errorf("G017 (-want +got):\n%s", diff)
	}
	got := append(findings(l, "AIMS-G012"), findings(l, "AIMS-G013")...)
	got = append(got, findings(l, "AIMS-G014")...)
	want := []string{
		"soa.yaml:11:6: error: control A.2.2 is listed twice (also at soa.yaml:9:6)",
		"soa.yaml:10:22: error: control A.5.4 is excluded without a justification",
		"soa.yaml:10:22: error: control A.5.4 is excluded but the treatment of risk R-1 relies on it",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	missing := findings(l, "AIMS-G011")
	if len(missing) != 1 || !strings.Contains(missing[0], "35 Annex A controls are missing") {
		t.Errorf("G011 = %v, want one finding naming the 35 missing controls", missing)
	}
}

func TestBiasResultAgainstThreshold(t *testing.T) {
	breach := `{"format": "aims-result/v1", "type": "bias", "system": "scorer", "measured": "2026-10-01",
 "results": [{"metric": "demographic_parity_difference", "attribute": "sex", "group": "female", "value": 0.08}]}`
	res, l := analyze(t, fixture(t, map[string]string{"evidence/bias.json": breach}), "2026-12-01")
	want := []string{"evidence/bias.json:2:106: error: system scorer: bias demographic_parity_difference is 0.08 for sex=female, above the threshold 0.05 (no open nonconformity or fairness risk treatment tracks it)"}
	if diff := cmp.Diff(want, findings(l, "AIMS-G043")); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if sys := res.Systems[0]; len(sys.Results) != 1 || !sys.Results[0].Breached {
		t.Errorf("system results = %+v, want one breached result", sys.Results)
	}

	// An open nonconformity naming the system tracks the remediation.
	nc := `apiVersion: aims/v1
kind: Nonconformity
id: NC-1
title: Bias above threshold
owner: ann
source: monitoring
systems: [scorer]
detected: 2026-10-02
state: open
`
	// Raised before the measurement: it cannot be the response to it.
	oldNC := strings.Replace(nc, "detected: 2026-10-02", "detected: 2026-09-01", 1)
	_, l = analyze(t, fixture(t, map[string]string{"evidence/bias.json": breach, "nc.yaml": oldNC}), "2026-12-01")
	if got := findings(l, "AIMS-G043"); len(got) != 1 {
		t.Errorf("with a nonconformity older than the result: %v, want the breach reported", got)
	}
	_, l = analyze(t, fixture(t, map[string]string{"evidence/bias.json": breach, "nc.yaml": nc}), "2026-12-01")
	if got := findings(l, "AIMS-G043"); len(got) != 0 {
		t.Errorf("with an open nonconformity: %v, want no G043", got)
	}

	// Within threshold: no finding.
	_, l = analyze(t, fixture(t, nil), "2026-12-01")
	if got := findings(l, "AIMS-G043"); len(got) != 0 {
		t.Errorf("within threshold: %v", got)
	}
}

func TestOverrides(t *testing.T) {
	manifest := `apiVersion: aims/v1
kind: Manifest
organization: {name: Mini Org}
documents: {exclude: [evidence/]}
rules:
  AIMS-G060:
    severity: "off"
    reason: First audit is booked for January.
  AIMS-G064:
    severity: warning
    reason: Management review moved to the new year.
  AIMS-G999:
    severity: "off"
    reason: A rule that does not exist.
`
	res, l := analyze(t, fixture(t, map[string]string{"aims.yaml": manifest}), "2026-12-01")
	if got := findings(l, "AIMS-G060"); len(got) != 0 {
		t.Errorf("G060 switched off but reported: %v", got)
	}
	if got := findings(l, "AIMS-G064"); len(got) != 1 || !strings.HasPrefix(got[0], "warning:") {
		t.Errorf("G064 = %v, want one warning", got)
	}
	if got := findings(l, "AIMS-C001"); len(got) != 1 || got[0] != "aims.yaml:12:3: error: unknown rule AIMS-G999" {
		t.Errorf("C001 = %v", got)
	}
	if len(res.Overrides) != 2 || res.Overrides[0].Reason != "First audit is booked for January." {
		t.Errorf("overrides = %+v, want both with their reasons", res.Overrides)
	}
}

// Every rule the analysis can emit is registered and documented.
func TestRulesAreDocumented(t *testing.T) {
	ids := map[string]bool{}
	for _, r := range gap.Rules() {
		if ids[r.ID] {
			t.Errorf("duplicate rule %s", r.ID)
		}
		ids[r.ID] = true
		if r.Title == "" || r.Description == "" || r.Why == "" || r.Fix == "" {
			t.Errorf("%s lacks a title, description, why or fix text (aims explain shows all four)", r.ID)
		}
	}
	if !slices.IsSortedFunc(gap.Rules(), func(a, b gap.Rule) int { return strings.Compare(a.ID, b.ID) }) {
		t.Error("Rules() is not sorted")
	}
}

// Every evidence item's freshness, as reports show it, comes from the same
// rule as the stale-evidence finding.
func TestEvidenceStates(t *testing.T) {
	manifest := "apiVersion: aims/v1\nkind: Manifest\norganization: {name: Org}\ndocuments: {exclude: [evidence/]}\nsettings: {evidence_max_age_days: 100, evidence_grace_days: 10, evidence_max_age_days_by_type: {certificate: 1000}}\n"
	tests := []struct {
		name, fields   string
		state, expires string
		counts         bool
	}{
		{"valid until ahead", "valid_until: 2026-12-31\ncollected: 2026-05-20", "current", "2026-08-28", true},
		{"a far valid until does not keep old evidence current", "valid_until: 2099-01-01\ncollected: 2015-01-01", "stale", "2015-04-11", false},
		{"valid until within 30 days", "valid_until: 2026-06-20\ncollected: 2026-05-01", "expiring", "2026-06-20", true},
		{"valid until yesterday: the day after still counts", "valid_until: 2026-05-31\ncollected: 2026-05-01", "expiring", "2026-05-31", true},
		{"in the grace period", "valid_until: 2026-05-25\ncollected: 2026-05-01", "grace", "2026-05-25", true},
		{"past the grace period", "valid_until: 2026-05-01\ncollected: 2026-04-01", "stale", "2026-05-01", false},
		{"valid until without a collected date", "valid_until: 2026-12-31", "undated", "", false},
		{"maximum age for its type", "type: certificate\ncollected: 2024-01-01", "current", "2026-09-27", true},
		{"never expires, explicitly", "collected: 2010-01-01\nnever_expires: true\nnever_expires_reason: founding deed", "current", "", true},
		{"collected after today", "collected: 2026-07-01", "future", "2026-10-09", false},
		{"review interval", "collected: 2026-05-01\nreview_interval_days: 25", "grace", "2026-05-26", true},
		{"review interval, past the grace period", "collected: 2026-05-01\nreview_interval_days: 10", "stale", "2026-05-11", false},
		{"manifest maximum age", "collected: 2026-03-01", "expiring", "2026-06-09", true},
		{"undated", "", "undated", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := "apiVersion: aims/v1\nkind: Evidence\nid: e1\ntitle: E\nowner: ann\nurl: https://example.com/e\nsatisfies: [A.2.3]\n" + tt.fields + "\n"
			fsys := fixture(t, map[string]string{"aims.yaml": manifest, "evidence.yaml": ev, "soa.yaml": ""})
			res, _ := analyze(t, fsys, "2026-06-01")
			st, ok := res.EvidenceState("e1")
			if !ok {
				t.Fatal("no state for e1")
			}
			if st.State != tt.state || st.Expires != tt.expires || st.Counts != tt.counts {
				t.Errorf("state %s until %q counts %v (%s), want %s until %q counts %v", st.State, st.Expires, st.Counts, st.Note, tt.state, tt.expires, tt.counts)
			}
		})
	}
}

// The tier requirements table is the one source: the manifest schema offers
// exactly its names, and the default tiers use nothing else.
func TestTierRequirementsTable(t *testing.T) {
	var names []string
	for _, r := range gap.TierRequirements() {
		if r.Title == "" || r.Rule == nil {
			t.Errorf("tier requirement %s lacks a title or rule", r.Name)
		}
		if _, ok := gap.LookupRule(r.Rule.ID); !ok {
			t.Errorf("tier requirement %s reports %s, which is not registered", r.Name, r.Rule.ID)
		}
		names = append(names, r.Name)
	}
	src, err := schemas.FS.ReadFile("manifest.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var sch struct {
		Properties struct {
			Settings struct {
				Properties struct {
					Tiers struct {
						AdditionalProperties struct {
							Properties struct {
								Requires struct {
									Items struct {
										Enum []string `json:"enum"`
									} `json:"items"`
								} `json:"requires"`
							} `json:"properties"`
						} `json:"additionalProperties"`
					} `json:"tiers"`
				} `json:"properties"`
			} `json:"settings"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(src, &sch); err != nil {
		t.Fatal(err)
	}
	enum := sch.Properties.Settings.Properties.Tiers.AdditionalProperties.Properties.Requires.Items.Enum
	if diff := cmp.Diff(names, enum); diff != "" {
		t.Errorf("manifest schema settings.tiers.*.requires enum differs from gap.TierRequirements() (-table +schema):\n%s", diff)
	}
	for tier, def := range gap.DefaultTiers() {
		for _, req := range def.Requires {
			if !slices.Contains(names, req) {
				t.Errorf("default tier %s requires unknown %q", tier, req)
			}
		}
	}
	// Each call hands out its own map: no caller can change the defaults.
	gap.DefaultTiers()["high"] = aims.Tier{}
	if len(gap.DefaultTiers()["high"].Requires) == 0 {
		t.Error("DefaultTiers is shared mutable state")
	}
}

// Every rule of the analysis can be overridden in aims.yaml; the stages
// before it cannot (a document that does not parse cannot be analysed),
// except the YAML warnings.
func TestRuleConfigurability(t *testing.T) {
	for _, r := range gap.Rules() {
		want := strings.HasPrefix(r.ID, "AIMS-G") || r.ID == "AIMS-Y001" || r.ID == "AIMS-Y002" || r.ID == "AIMS-L005"
		if r.Configurable != want {
			t.Errorf("%s configurable = %v, want %v", r.ID, r.Configurable, want)
		}
	}
}

// A dataset's quality check is judged on its latest run: a failure that a
// later passing run follows is history; a failure that is the latest run is
// a finding at that run's result.
func TestDatasetQualityCheck(t *testing.T) {
	dataset := func(checks string) string {
		return "apiVersion: aims/v1\nkind: Dataset\nid: ds1\ntitle: Applications\nowner: ann\nsource: {type: internal}\nquality:\n  checks:\n" + checks
	}
	tests := []struct {
		name, checks string
		want         []string
	}{
		{"latest run failed", "    - {check: completeness, result: pass, date: 2026-01-01}\n    - {check: completeness, result: fail, date: 2026-05-01}\n",
			[]string{`dataset.yaml:10:29: warning: dataset ds1: quality check "completeness" failed on 2026-05-01`}},
		{"failure fixed by a later run", "    - {check: completeness, result: fail, date: 2026-01-01}\n    - {check: completeness, result: pass, date: 2026-05-01}\n", nil},
		{"runs listed newest first", "    - {check: completeness, result: pass, date: 2026-05-01}\n    - {check: completeness, result: fail, date: 2026-01-01}\n", nil},
		{"a warning is not a failure", "    - {check: ranges, result: warning, date: 2026-05-01}\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, _ := analyze(t, fixture(t, map[string]string{"dataset.yaml": dataset(tt.checks)}), "2026-06-01")
			if diff := cmp.Diff(tt.want, findings(res.Findings, "AIMS-G057")); diff != "" {
				t.Errorf("G057 findings (-want +got):\n%s", diff)
			}
		})
	}
}

// One rule decides the risk acceptance threshold: the first RiskCriteria
// in file order (every valid one sets a threshold), else aims.yaml, else
// none; the report shows this value and where it comes from.
func TestRiskThreshold(t *testing.T) {
	stricter := `apiVersion: aims/v1
kind: RiskCriteria
id: group-criteria
title: Group risk criteria
owner: aims-manager
likelihood: [{level: 1, name: Low}, {level: 2, name: Medium}, {level: 3, name: High}]
impact: [{level: 1, name: Low}, {level: 2, name: Medium}, {level: 3, name: High}]
acceptance_threshold: 9
`
	manifest := `apiVersion: aims/v1
kind: Manifest
organization:
  name: Mini Org
documents:
  exclude: [evidence/]
settings:
  risk_acceptance_threshold: 8
`
	tests := []struct {
		name  string
		edits map[string]string
		want  gap.Threshold
		above bool // R-1 scores 9
	}{
		{"criteria", nil, gap.Threshold{Value: 4, Source: "RiskCriteria criteria", File: "criteria.yaml"}, true},
		{"first criteria", map[string]string{"a-criteria.yaml": stricter}, gap.Threshold{Value: 9, Source: "RiskCriteria group-criteria", File: "a-criteria.yaml"}, false},
		{"criteria before manifest", map[string]string{"aims.yaml": manifest}, gap.Threshold{Value: 4, Source: "RiskCriteria criteria", File: "criteria.yaml"}, true},
		{"manifest", map[string]string{"criteria.yaml": "", "aims.yaml": manifest}, gap.Threshold{Value: 8, Source: "aims.yaml settings", File: "aims.yaml"}, true},
		{"none", map[string]string{"criteria.yaml": ""}, gap.Threshold{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, _ := analyze(t, fixture(t, tt.edits), "2026-12-01")
			if diff := cmp.Diff(tt.want, res.RiskThreshold); diff != "" {
				t.Errorf("threshold (-want +got):\n%s", diff)
			}
			v, ok := res.Risk("R-1")
			if !ok || v.Above != tt.above || v.ResidualAbove {
				t.Errorf("R-1 (score 9, residual 3): %+v, want above %v, residual within", v, tt.above)
			}
		})
	}
}

// The verdicts the report shows are the ones the rules fire on.
func TestVerdictsMatchRules(t *testing.T) {
	review := `apiVersion: aims/v1
kind: ManagementReview
id: mr-old
title: Management review 2024
date: 2024-10-01
chair: ann
attendees: [ann]
inputs: [previous_actions, risks]
actions:
  - {action: Done long ago, owner: ann, due: 2024-12-01, state: done}
  - {action: Still open, owner: ann, due: 2025-01-31, state: open}
`
	res, l := analyze(t, fixture(t, map[string]string{"review.yaml": review}), "2027-01-15")
	r, ok := res.Review("mr-old")
	if !ok || r.Planned || r.Covered != 2 || r.Required != len(gap.ReviewInputs()) || !slices.Equal(r.OverdueActions, []int{1}) {
		t.Errorf("mr-old verdict %+v, want held, 2 inputs covered, action 1 overdue", r)
	}
	// An action carried over from a review before the current cycle is late
	// all the same; the review's inputs are judged only in its cycle.
	want := []string{`review.yaml:11:38: warning: action "Still open" from management review mr-old was due on 2025-01-31`}
	if diff := cmp.Diff(want, findings(l, "AIMS-G066")); diff != "" {
		t.Errorf("G066 (-want +got):\n%s", diff)
	}
	if got := findings(l, "AIMS-G065"); len(got) != 0 {
		t.Errorf("G065 = %v, want nothing for a review of an earlier cycle", got)
	}
	v, _ := res.Risk("R-1")
	if !v.TreatmentOverdue || len(findings(l, "AIMS-G035")) != 1 {
		t.Errorf("R-1 treatment due 2026-12-31: verdict overdue %v, G035 %v", v.TreatmentOverdue, findings(l, "AIMS-G035"))
	}
}

// Evidence that supports no requirement counts for nothing, and gap says
// why: the report's evidence index and aims diff read this verdict.
func TestEvidenceForNoKnownRequirement(t *testing.T) {
	ev := "apiVersion: aims/v1\nkind: Evidence\nid: e1\ntitle: E\nowner: ann\nurl: https://example.com/e\ncollected: 2026-05-01\nsatisfies: [A.2.9]\n"
	fsys := fixture(t, map[string]string{"evidence.yaml": ev, "soa.yaml": ""})
	ws, err := workspace.Open(fsys)
	if err != nil {
		t.Fatal(err)
	}
	now, _ := time.Parse(time.DateOnly, "2026-06-01")
	res := gap.Analyze(ws.Model, ws.Catalog, ws.Diags, gap.Options{Now: now, Tiers: ws.Tiers})
	st, ok := res.EvidenceState("e1")
	if !ok || st.State != "current" || st.Counts || st.Note != "satisfies no known requirement" {
		t.Errorf("e1 = %+v, want current but not counting: satisfies no known requirement", st)
	}
}

// A risk is due for review while it is open, whatever its document status;
// a closed one is not (the report's document control once flagged it).
func TestRiskReviewOverdue(t *testing.T) {
	risk := func(state string) string {
		return "apiVersion: aims/v1\nkind: Risk\nid: R-1\ntitle: Unfair scores\nowner: ann\nsystems: [scorer]\nsource: fairness\n" +
			"likelihood: 1\nimpact: 1\nnext_review: 2026-11-01\nstate: " + state + "\n"
	}
	for _, tt := range []struct {
		state   string
		overdue bool
	}{{"open", true}, {"closed", false}} {
		res, l := analyze(t, fixture(t, map[string]string{"risks.yaml": risk(tt.state)}), "2026-12-01")
		v, _ := res.Risk("R-1")
		if v.ReviewOverdue != tt.overdue || res.ReviewOverdue("risks.yaml", "R-1") != tt.overdue || len(findings(l, "AIMS-G034")) == 0 == tt.overdue {
			t.Errorf("%s risk past next_review: verdict %v, document overdue %v, G034 %v; want overdue %v",
				tt.state, v.ReviewOverdue, res.ReviewOverdue("risks.yaml", "R-1"), findings(l, "AIMS-G034"), tt.overdue)
		}
	}
}

// A schema error in one document must not cascade into gap findings that
// are false: a misspelt field in the only Person does not make its role
// "held by nobody", and an unknown tier (link's R007) is not also "below the
// EU AI Act class".
func TestNoCascadeFromInvalidDocuments(t *testing.T) {
	tests := []struct {
		name, file, body, rule string
	}{
		{"typo in the person holding the role", "org.yaml",
			"apiVersion: aims/v1\nkind: Role\nid: aims-manager\ntitle: AIMS manager\nresponsibilities: [Run the AIMS]\n---\napiVersion: aims/v1\nkind: Person\nid: ann\nname: Ann Example\nemial: ann@example.com\nroles: [aims-manager]\n",
			"AIMS-G008"},
		{"unknown tier of a high-risk system", "system.yaml", "", "AIMS-G055"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			edits := map[string]string{tt.file: tt.body}
			if tt.file == "system.yaml" {
				b, err := os.ReadFile("testdata/mini/system.yaml")
				if err != nil {
					t.Fatal(err)
				}
				s := strings.Replace(string(b), "risk_tier: high", "risk_tier: critical", 1)
				if !strings.Contains(s, "eu_ai_act") {
					s += "eu_ai_act: {class: high}\n"
				}
				edits[tt.file] = s
			}
			ws, err := workspace.Open(fixture(t, edits))
			if err != nil {
				t.Fatal(err)
			}
			if ws.Diags.Max() < diag.Error {
				t.Fatalf("the edit should be an error of an earlier stage; got %v", ws.Diags)
			}
			now, _ := time.Parse(time.DateOnly, "2026-06-01")
			res := gap.Analyze(ws.Model, ws.Catalog, ws.Diags, gap.Options{Now: now, Tiers: ws.Tiers})
			if got := findings(res.Findings, tt.rule); len(got) > 0 {
				t.Errorf("%s cascades from the earlier error: %v", tt.rule, got)
			}
		})
	}
}

// A closure holds only with every corrective action done and a named,
// dated review saying effective: true; only such a closure supports 10.1.
func TestNonconformityClosure(t *testing.T) {
	nc := func(actionState, effectiveness string) string {
		return `apiVersion: aims/v1
kind: Nonconformity
id: nc-1
title: Late review
owner: ann
source: incident
detected: 2026-05-01
root_cause: Nobody owned the review queue.
corrective_actions:
  - {action: Name an owner for the queue, owner: ann, due: 2026-06-30, state: ` + actionState + `}
state: closed
closed_on: 2026-07-01
` + effectiveness
	}
	named := "effectiveness: {reviewed_on: 2026-09-01, reviewed_by: ann, effective: true}\n"
	tests := []struct {
		name, doc, closure, rule string
	}{
		{"effective", nc("done", named), "effective", ""},
		{"ineffective", nc("done", strings.Replace(named, "true", "false", 1)), "ineffective", "AIMS-G073"},
		{"action open", nc("in_progress", named), "actions open", "AIMS-G074"},
		{"reviewer not named", nc("done", "effectiveness: {reviewed_on: 2026-09-01, effective: true}\n"), "not reviewed", "AIMS-G072"},
		{"not reviewed", nc("done", ""), "not reviewed", "AIMS-G072"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, l := analyze(t, fixture(t, map[string]string{"nc.yaml": tt.doc}), "2026-12-01")
			v, _ := res.Nonconformity("nc-1")
			if v.Closure != tt.closure {
				t.Errorf("closure %q, want %q", v.Closure, tt.closure)
			}
			for _, id := range []string{"AIMS-G072", "AIMS-G073", "AIMS-G074"} {
				if got, want := len(findings(l, id)), map[bool]int{true: 1}[id == tt.rule]; got != want {
					t.Errorf("%s findings %d, want %d", id, got, want)
				}
			}
			if got, want := status(res, "10.1").Status == gap.Met, tt.rule == ""; got != want {
				t.Errorf("10.1 met = %v, want %v (%q)", got, want, status(res, "10.1").Reasons)
			}
		})
	}
}

// An objective is judged from its latest measurement and due date, never
// from the progress it declares.
func TestObjectiveJudgedFromMeasurements(t *testing.T) {
	obj := func(due, progress, value string) string {
		return `apiVersion: aims/v1
kind: Objective
id: obj-1
title: Fair approvals
owner: ann
metric: Largest approval rate gap
target: {value: 0.04, direction: at_most}
due: ` + due + `
progress: ` + progress + `
measurements:
  - {date: 2026-11-01, value: ` + value + `}
  - {date: 2026-03-01, value: 0.01}
`
	}
	tests := []struct {
		name                  string
		doc                   string
		onTarget              string
		overdue, contradicted bool
	}{
		{"on track before due", obj("2027-06-30", "on_track", "0.05"), "not met", false, false},
		{"on track past due, seven times over", obj("2026-09-30", "on_track", "0.28"), "not met", true, true},
		{"achieved but missing the target", obj("2027-06-30", "achieved", "0.05"), "not met", false, true},
		{"achieved, target met past due", obj("2026-09-30", "achieved", "0.03"), "met", false, false},
		{"missed and past due", obj("2026-09-30", "missed", "0.05"), "not met", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, l := analyze(t, fixture(t, map[string]string{"obj.yaml": tt.doc}), "2026-12-01")
			v, _ := res.Objective("obj-1")
			// The latest measurement is the last by date, not the last written.
			if v.OnTarget != tt.onTarget || v.Latest != "2026-11-01" || v.Overdue != tt.overdue || v.Contradicted != tt.contradicted {
				t.Errorf("verdict %+v, want on target %q, overdue %v, contradicted %v", v, tt.onTarget, tt.overdue, tt.contradicted)
			}
			if got := len(findings(l, "AIMS-G083")) == 1; got != tt.contradicted {
				t.Errorf("G083 %v, want %v", findings(l, "AIMS-G083"), tt.contradicted)
			}
			if got := len(findings(l, "AIMS-G081")) == 1; got != tt.overdue {
				t.Errorf("G081 %v, want %v", findings(l, "AIMS-G081"), tt.overdue)
			}
		})
	}
}

// 7.2 needs each role holder's competence recorded, for the role or for the
// person; evidence that claims 7.2 is not enough.
func TestCompetencePerRoleHolder(t *testing.T) {
	org := `apiVersion: aims/v1
kind: Role
id: aims-manager
title: AIMS manager
responsibilities: [Run the AIMS]
---
apiVersion: aims/v1
kind: Person
id: ann
name: Ann Example
roles: [aims-manager]
---
apiVersion: aims/v1
kind: Person
id: bob
name: Bob Example
roles: [aims-manager]
---
apiVersion: aims/v1
kind: Role
id: ceo
title: Chief executive
top_management: true
responsibilities: [Direct the AIMS and approve its policy]
---
apiVersion: aims/v1
kind: Person
id: cleo
name: Cleo Chief
roles: [ceo]
---
apiVersion: aims/v1
kind: Competence
id: comp-ceo
title: Competence of the chief executive
subject: ceo
required: [Directing a management system]
records:
  - {activity: AI governance board briefing, completed: 2026-02-01}
`
	comp := func(subject string) string {
		return `apiVersion: aims/v1
kind: Competence
id: comp-1
title: Competence
subject: ` + subject + `
required: [Running a management system]
records:
  - {activity: Lead implementer course, completed: 2026-02-01}
`
	}
	tests := []struct {
		name string
		comp string
		want []string
	}{
		{"none", "", []string{"org.yaml:1:1: error: role aims-manager has no competence record for its holders ann, bob"}},
		{"one person", comp("ann"), []string{"org.yaml:1:1: error: role aims-manager has no competence record for its holder bob"}},
		{"the role", comp("aims-manager"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, l := analyze(t, fixture(t, map[string]string{"org.yaml": org, "comp.yaml": tt.comp}), "2026-12-01")
			if diff := cmp.Diff(tt.want, findings(l, "AIMS-G084")); diff != "" {
				t.Errorf("G084 (-want +got):\n%s", diff)
			}
			if got, want := status(res, "7.2").Status == gap.Met, tt.want == nil; got != want {
				t.Errorf("7.2 met = %v, want %v (%q)", got, want, status(res, "7.2").Reasons)
			}
		})
	}
}
