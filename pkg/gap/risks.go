package gap

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
			a.report("AIMS-G030", pos(d, "likelihood"), "risk %s scores %d (likelihood %d x impact %d), above the acceptance threshold %d, and has no treatment", r.ID, score, r.Likelihood, r.Impact, a.threshold)
		case t != nil && t.Option != "accept" && len(t.Controls) == 0:
			a.report("AIMS-G031", pos(d, "treatment", "option"), "risk %s is treated (%s) but names no Annex A controls", r.ID, t.Option)
		}
		if t != nil && t.Option != "accept" && r.Residual == nil {
			a.report("AIMS-G032", pos(d, "treatment"), "risk %s has a treatment but no residual likelihood and impact", r.ID)
		}
		accepted := r.Acceptance != nil && r.Acceptance.ApprovedBy != "" && r.Acceptance.ApprovedOn != ""
		if !accepted {
			switch {
			case t != nil && t.Option == "accept":
				a.report("AIMS-G033", pos(d, "treatment", "option"), "risk %s is accepted without an acceptance by an approver", r.ID)
			case r.Residual != nil && a.threshold > 0 && r.ResidualScore() > a.threshold:
				a.report("AIMS-G033", pos(d, "residual"), "risk %s keeps a residual score of %d, above the acceptance threshold %d, without an acceptance by an approver", r.ID, r.ResidualScore(), a.threshold)
			}
		}
		if r.NextReview != "" && a.past(r.NextReview) {
			a.report("AIMS-G034", pos(d, "next_review"), "risk %s was due for review on %s", r.ID, r.NextReview)
		}
		if t != nil && t.Due != "" && t.Progress != "done" && a.past(t.Due) {
			a.report("AIMS-G035", pos(d, "treatment", "due"), "the treatment plan of risk %s was due on %s and is not done", r.ID, t.Due)
		}
	}
}
