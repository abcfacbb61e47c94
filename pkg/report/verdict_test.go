package report

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/aims-dev/aims/pkg/gap"
)

// The report shows gap's verdicts and judges nothing itself: for both
// shipped examples, every verdict the report displays (threshold and
// bands, risks above it, acceptances, overdue treatments, objectives,
// review actions, nonconformities, suppliers and documents, missing review
// inputs, tier requirements, evidence freshness) equals gap's.
func TestReportAgreesWithGap(t *testing.T) {
	for _, ex := range []string{"northwind", "first-steps"} {
		t.Run(ex, func(t *testing.T) {
			in := openAt(t, os.DirFS("../../examples/"+ex), "2026-12-01")
			v := build(in, Options{})
			g := in.Gap
			n := 0 // verdicts compared
			flagged := 0
			agree := func(what string, report, gap any) {
				t.Helper()
				n++
				if b, ok := gap.(bool); ok && b {
					flagged++
				}
				if fmt.Sprint(report) != fmt.Sprint(gap) {
					t.Errorf("%s: report shows %v, gap judged %v", what, report, gap)
				}
			}

			agree("risk threshold", v.Risk.Threshold, g.RiskThreshold.Value)
			if g.RiskThreshold.Value == 0 {
				t.Errorf("the example sets no risk acceptance threshold: nothing to compare")
			}
			maxScore := len(v.Risk.Inherent.Rows) * len(v.Risk.Inherent.Cols)
			for _, h := range []heatmap{v.Risk.Inherent, v.Risk.Residual} {
				for _, row := range h.Rows {
					for _, c := range row.Cells {
						agree(h.Title+" band of "+fmt.Sprint(c.Score), c.Band, g.RiskThreshold.Band(c.Score, maxScore))
					}
				}
			}
			above := 0
			for _, r := range v.Risk.Rows {
				rv, ok := g.Risk(r.ID)
				if !ok {
					t.Errorf("risk %s: no verdict from gap", r.ID)
				}
				agree(r.ID+" above threshold", r.Above, rv.Above)
				agree(r.ID+" residual above threshold", r.ResAbove, rv.ResidualAbove)
				if r.Above && r.State != "closed" {
					above++
				}
			}
			agree("risks above the threshold", v.Risk.Above, above)
			for _, tr := range v.Risk.Treatments {
				rv, _ := g.Risk(tr.ID)
				agree(tr.ID+" treatment overdue", tr.Overdue, rv.TreatmentOverdue)
				agree(tr.ID+" accepted", tr.Acceptance != "", rv.Accepted)
			}
			for _, o := range v.Objectives {
				ov, ok := g.Objective(o.ID)
				if !ok {
					t.Errorf("objective %s: no verdict from gap", o.ID)
				}
				agree(o.ID+" overdue", o.Overdue, ov.Overdue)
				agree(o.ID+" on target", o.OnTarget, ov.OnTarget)
			}
			for _, r := range v.Reviews {
				rv, ok := g.Review(r.ID)
				if !ok {
					t.Errorf("review %s: no verdict from gap", r.ID)
				}
				agree(r.ID+" planned", r.Planned, rv.Planned)
				agree(r.ID+" inputs", r.Inputs, fmt.Sprintf("%d of %d required", rv.Covered, len(gap.ReviewInputs())))
				agree(r.ID+" missing inputs", r.Missing, human(strings.Join(rv.Missing, ", ")))
				for i, a := range r.Actions {
					agree(fmt.Sprintf("%s action %d overdue", r.ID, i), a.Overdue, slices.Contains(rv.OverdueActions, i))
				}
			}
			overdue := 0
			for _, nc := range v.NCs.Rows {
				nv, ok := g.Nonconformity(nc.ID)
				if !ok {
					t.Errorf("nonconformity %s: no verdict from gap", nc.ID)
				}
				agree(nc.ID+" overdue", nc.Overdue, nv.Overdue())
				for i, a := range nc.Actions {
					agree(fmt.Sprintf("%s action %d overdue", nc.ID, i), a.Overdue, slices.Contains(nv.OverdueActions, i))
				}
				if nv.Open && nv.Overdue() {
					overdue++
				}
			}
			agree("nonconformities overdue", v.NCs.Overdue, overdue)
			for _, s := range v.Suppliers {
				sv, ok := g.Supplier(s.ID)
				if !ok {
					t.Errorf("supplier %s: no verdict from gap", s.ID)
				}
				agree(s.ID+" due diligence overdue", s.Overdue, sv.DiligenceOverdue)
			}
			for _, d := range v.Docs.Rows {
				agree(d.Path+" "+d.ID+" review overdue", d.ReviewOverdue, g.ReviewOverdue(d.Path, d.ID))
			}
			if len(v.Systems) != len(g.Systems) {
				t.Fatalf("report shows %d systems, gap judged %d", len(v.Systems), len(g.Systems))
			}
			for i, s := range v.Systems {
				gs := g.Systems[i]
				agree(s.ID+" system", s.ID, gs.ID)
				met := 0
				for j, c := range s.Checks {
					agree(s.ID+" "+c.Name+" met", c.Met, gs.Checks[j].Met)
					if gs.Checks[j].Met {
						met++
					}
				}
				agree(s.ID+" requirements met", s.ChecksMet, met)
				agree(s.ID+" requirements", s.ChecksTotal, len(gs.Checks))
			}
			for _, e := range v.Evidence.Rows {
				st, ok := g.EvidenceState(e.ID)
				if !ok {
					t.Errorf("evidence %s: no state from gap", e.ID)
				}
				agree(e.ID+" freshness", e.Fresh, st.State)
				agree(e.ID+" counts", e.Counts, st.Counts)
			}
			// Guard against comparing nothing: each example has risks and
			// systems, and something judged true.
			if len(v.Risk.Rows) == 0 || len(v.Systems) == 0 || flagged == 0 {
				t.Errorf("compared %d verdicts (%d true) over %d risks, %d reviews, %d systems: the example no longer exercises the judge",
					n, flagged, len(v.Risk.Rows), len(v.Reviews), len(v.Systems))
			}
			t.Logf("%d verdicts agree, %d of them true", n, flagged)
		})
	}
}

// Without risk criteria the threshold in force is aims.yaml's: the report
// says so instead of flagging risks above a threshold it never shows.
func TestThresholdWithoutCriteria(t *testing.T) {
	in := fixture(t)
	in.Model.RiskCriteria = nil
	in.Gap.RiskThreshold = gap.Threshold{Value: 9, Source: "aims.yaml settings", File: "aims.yaml"}
	for format, want := range map[string]string{
		"md":   "**No risk criteria**: scales default to 5 × 5, acceptance threshold 9 from aims.yaml settings.",
		"html": "<strong>No risk criteria</strong>: the scales default to 5 × 5, acceptance threshold <strong>9</strong> from aims.yaml settings.",
	} {
		if got := render(t, format, in, Options{}); !strings.Contains(got, want) {
			t.Errorf("%s: no %q", format, want)
		}
	}
}
