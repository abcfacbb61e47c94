package gap

import "github.com/aims-dev/aims/pkg/diag"

// riskRule are the rules about the risk register; each sits beside the check that
// applies it and is registered by being a field here.
var riskRule = struct {
	UntreatedAboveThreshold  *diag.Rule
	TreatmentWithoutControls *diag.Rule
	ResidualNotEvaluated     *diag.Rule
	AcceptedWithoutApproval  *diag.Rule
	ReviewOverdue            *diag.Rule
	TreatmentOverdue         *diag.Rule
}{
	UntreatedAboveThreshold:  &diag.Rule{ID: "AIMS-G030", Severity: diag.Error, Refs: []string{"6.1.3", "8.3"}, Title: "Risk above threshold untreated", Description: "A risk scoring above the acceptance threshold needs a treatment.", Configurable: true},
	TreatmentWithoutControls: &diag.Rule{ID: "AIMS-G031", Severity: diag.Error, Refs: []string{"6.1.3"}, Title: "Treatment without controls", Description: "A mitigate, avoid or transfer treatment must name the Annex A controls it relies on.", Configurable: true},
	ResidualNotEvaluated:     &diag.Rule{ID: "AIMS-G032", Severity: diag.Warning, Refs: []string{"8.3"}, Title: "Residual risk not evaluated", Description: "A treated risk needs its residual likelihood and impact.", Configurable: true},
	AcceptedWithoutApproval:  &diag.Rule{ID: "AIMS-G033", Severity: diag.Error, Refs: []string{"6.1.3"}, Title: "Risk accepted without approval", Description: "A risk accepted as it is, or whose residual score is above the threshold, needs acceptance by an approver.", Configurable: true},
	ReviewOverdue:            &diag.Rule{ID: "AIMS-G034", Severity: diag.Error, Refs: []string{"8.2"}, Title: "Risk review overdue", Description: "A risk's next_review date has passed.", Configurable: true},
	TreatmentOverdue:         &diag.Rule{ID: "AIMS-G035", Severity: diag.Error, Refs: []string{"8.3"}, Title: "Treatment plan overdue", Description: "A treatment plan is past its due date and not done.", Configurable: true},
}

func (a *analyzer) checkRisks() {
	for _, r := range a.m.Risks {
		if r.State == "closed" {
			continue
		}
		d := r.Doc
		score := r.Score()
		above := a.threshold > 0 && score > a.threshold
		t := r.Treatment
		switch {
		case above && t == nil:
			a.report(riskRule.UntreatedAboveThreshold, pos(d, "likelihood"), "risk %s scores %d (likelihood %d x impact %d), above the acceptance threshold %d, and has no treatment", r.ID, score, r.Likelihood, r.Impact, a.threshold)
		case t != nil && t.Option != "accept" && len(t.Controls) == 0:
			a.report(riskRule.TreatmentWithoutControls, pos(d, "treatment", "option"), "risk %s is treated (%s) but names no Annex A controls", r.ID, t.Option)
		}
		if t != nil && t.Option != "accept" && r.Residual == nil {
			a.report(riskRule.ResidualNotEvaluated, pos(d, "treatment"), "risk %s has a treatment but no residual likelihood and impact", r.ID)
		}
		accepted := r.Acceptance != nil && r.Acceptance.ApprovedBy != "" && r.Acceptance.ApprovedOn != ""
		if !accepted {
			switch {
			case t != nil && t.Option == "accept":
				a.report(riskRule.AcceptedWithoutApproval, pos(d, "treatment", "option"), "risk %s is accepted without an acceptance by an approver", r.ID)
			case r.Residual != nil && a.threshold > 0 && r.ResidualScore() > a.threshold:
				a.report(riskRule.AcceptedWithoutApproval, pos(d, "residual"), "risk %s keeps a residual score of %d, above the acceptance threshold %d, without an acceptance by an approver", r.ID, r.ResidualScore(), a.threshold)
			}
		}
		if r.NextReview != "" && a.past(r.NextReview) {
			a.report(riskRule.ReviewOverdue, pos(d, "next_review"), "risk %s was due for review on %s", r.ID, r.NextReview)
		}
		if t != nil && t.Due != "" && t.Progress != "done" && a.past(t.Due) {
			a.report(riskRule.TreatmentOverdue, pos(d, "treatment", "due"), "the treatment plan of risk %s was due on %s and is not done", r.ID, t.Due)
		}
	}
}
