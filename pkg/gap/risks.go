package gap

import (
	"github.com/aims-dev/aims/pkg/aims"
)

// Threshold is the risk acceptance threshold in force and where it comes
// from. One rule decides it: the first RiskCriteria (in file order) that
// sets an acceptance_threshold above 0, else settings.
// risk_acceptance_threshold in aims.yaml, else none. Criteria without a
// threshold (scales only) do not switch the threshold off.
type Threshold struct {
	Value  int    `json:"value"`            // 0: no threshold is set
	Source string `json:"source,omitempty"` // "RiskCriteria <id>" or "aims.yaml settings"
	File   string `json:"file,omitempty"`
}

// Above reports whether score exceeds the threshold; without a threshold
// nothing is above it.
func (t Threshold) Above(score int) bool { return t.Value > 0 && score > t.Value }

// Band classes a score on a scale whose highest score is maxScore: low
// (within the threshold), medium (above it), high (more than twice it).
// Without a threshold, thirds of the scale.
func (t Threshold) Band(score, maxScore int) string {
	lo, hi := t.Bounds(maxScore)
	switch {
	case score <= lo:
		return "low"
	case score <= hi:
		return "medium"
	}
	return "high"
}

// Bounds are the highest scores of the low and medium bands.
func (t Threshold) Bounds(maxScore int) (lo, hi int) {
	if t.Value <= 0 {
		return maxScore / 3, 2 * maxScore / 3
	}
	return t.Value, 2 * t.Value
}

func (a *analyzer) riskThreshold() Threshold {
	for _, c := range a.m.RiskCriteria {
		if c.AcceptanceThreshold > 0 {
			t := Threshold{Value: c.AcceptanceThreshold, Source: "RiskCriteria " + or2(c.ID, c.Name())}
			if c.Doc != nil {
				t.File = c.Doc.File
			}
			return t
		}
	}
	if m := a.m.Manifest; m != nil && m.Settings.RiskAcceptanceThreshold > 0 {
		t := Threshold{Value: m.Settings.RiskAcceptanceThreshold, Source: "aims.yaml settings"}
		if m.Doc != nil {
			t.File = m.Doc.File
		}
		return t
	}
	return Threshold{}
}

// RiskVerdict is one risk judged against the threshold and the calendar.
// A closed risk is neither due for review nor for treatment.
type RiskVerdict struct {
	ID               string `json:"id"`
	Score            int    `json:"score"`
	Residual         int    `json:"residual"` // -1: not evaluated
	Above            bool   `json:"above_threshold"`
	ResidualAbove    bool   `json:"residual_above_threshold"`
	Accepted         bool   `json:"accepted"` // an approver and a date are recorded
	AcceptedBy       string `json:"accepted_by,omitempty"`
	AcceptedOn       string `json:"accepted_on,omitempty"`
	ReviewOverdue    bool   `json:"review_overdue"`
	TreatmentOverdue bool   `json:"treatment_overdue"`
}

// Risk returns the verdict on the risk with id.
func (r *Result) Risk(id string) (RiskVerdict, bool) {
	return find(r.Risks, id, func(v RiskVerdict) string { return v.ID })
}

func (a *analyzer) judgeRisk(r *aims.Risk) RiskVerdict {
	v := RiskVerdict{ID: r.ID, Score: r.Score(), Residual: r.ResidualScore()}
	v.Above = a.risk.Above(v.Score)
	v.ResidualAbove = r.Residual != nil && a.risk.Above(v.Residual)
	if acc := r.Acceptance; acc != nil && acc.ApprovedBy != "" && acc.ApprovedOn != "" {
		v.Accepted, v.AcceptedBy, v.AcceptedOn = true, acc.ApprovedBy, acc.ApprovedOn
	}
	if r.State != "closed" {
		v.ReviewOverdue = r.NextReview != "" && a.past(r.NextReview)
		t := r.Treatment
		v.TreatmentOverdue = t != nil && t.Due != "" && t.Progress != "done" && a.past(t.Due)
	}
	return v
}

func (a *analyzer) checkRisks() {
	th := a.risk.Value
	for _, r := range a.m.Risks {
		v := a.judgeRisk(r)
		a.risks = append(a.risks, v)
		if r.State == "closed" {
			continue
		}
		d := r.Doc
		t := r.Treatment
		switch {
		case v.Above && t == nil:
			a.report("AIMS-G030", pos(d, "likelihood"), "risk %s scores %d (likelihood %d x impact %d), above the acceptance threshold %d, and has no treatment", r.ID, v.Score, r.Likelihood, r.Impact, th)
		case t != nil && t.Option != "accept" && len(t.Controls) == 0:
			a.report("AIMS-G031", pos(d, "treatment", "option"), "risk %s is treated (%s) but names no Annex A controls", r.ID, t.Option)
		}
		if t != nil && t.Option != "accept" && r.Residual == nil {
			a.report("AIMS-G032", pos(d, "treatment"), "risk %s has a treatment but no residual likelihood and impact", r.ID)
		}
		if !v.Accepted {
			switch {
			case t != nil && t.Option == "accept":
				a.report("AIMS-G033", pos(d, "treatment", "option"), "risk %s is accepted without an acceptance by an approver", r.ID)
			case v.ResidualAbove:
				a.report("AIMS-G033", pos(d, "residual"), "risk %s keeps a residual score of %d, above the acceptance threshold %d, without an acceptance by an approver", r.ID, v.Residual, th)
			}
		}
		if v.ReviewOverdue {
			a.report("AIMS-G034", pos(d, "next_review"), "risk %s was due for review on %s", r.ID, r.NextReview)
		}
		if v.TreatmentOverdue {
			a.report("AIMS-G035", pos(d, "treatment", "due"), "the treatment plan of risk %s was due on %s and is not done", r.ID, t.Due)
		}
	}
}
