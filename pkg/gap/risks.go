package gap

import (
	"cmp"
	"slices"
	"strings"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/diag"
)

// riskRule are the rules about the risk register; each sits beside the check
// that applies it and is registered by being a field here.
var riskRule = struct {
	UntreatedAboveThreshold  *diag.Rule
	TreatmentWithoutControls *diag.Rule
	ResidualNotEvaluated     *diag.Rule
	AcceptedWithoutApproval  *diag.Rule
	ReviewOverdue            *diag.Rule
	TreatmentOverdue         *diag.Rule
	AcceptanceAuthority      *diag.Rule
}{
	UntreatedAboveThreshold: &diag.Rule{
		ID: "AIMS-G030", Severity: diag.Error, Refs: []string{"6.1.3", "8.3"},
		Title: "Risk above threshold untreated", Description: "A risk scoring above the acceptance threshold needs a treatment.",
		Why:          "Risk treatment must be planned for every risk the criteria say is unacceptable (6.1.3) and then carried out (8.3); a risk scoring above the threshold with no treatment is exactly the kind of unmanaged risk an auditor raises a nonconformity for.",
		Fix:          "Add a `treatment` to the Risk: `option` (`mitigate`, `avoid`, `transfer` or `accept`), `controls` (Annex A ids), `plan`, `owner`, `due` and `progress`; or, if the score is wrong, reassess `likelihood` and `impact` and update `assessed`. Accepting an above-threshold risk needs `option: accept` plus an `acceptance` with `approved_by`, `approved_on` and `rationale`, which is more honest than an override.",
		Configurable: true,
	},
	TreatmentWithoutControls: &diag.Rule{
		ID: "AIMS-G031", Severity: diag.Error, Refs: []string{"6.1.3"},
		Title: "Treatment without controls", Description: "A mitigate, avoid or transfer treatment must name the Annex A controls it relies on.",
		Why:          "Clause 6.1.3 expects the controls needed for each treatment to be determined and checked against Annex A; a treatment that names none cannot be traced to the SoA, so the auditor cannot verify that anything actually reduces the risk.",
		Fix:          "List the Annex A controls the treatment relies on in `treatment.controls` (e.g. `controls: [\"A.6.2.4\", \"A.7.4\"]`) and make sure they are applicable in the SoA. If the organisation uses its own controls beyond Annex A, still name the nearest Annex A control; an override (with a reason) is honest only if your treatment is purely contractual or organisational with no matching control.",
		Configurable: true,
	},
	ResidualNotEvaluated: &diag.Rule{
		ID: "AIMS-G032", Severity: diag.Warning, Refs: []string{"8.3"},
		Title: "Residual risk not evaluated", Description: "A treated risk needs its residual likelihood and impact.",
		Why:          "Treatment results have to be retained and their effect judged (8.3); without a residual score an auditor cannot see whether the treatment brought the risk to an acceptable level or whether the remaining risk needs formal acceptance.",
		Fix:          "Add `residual` with the expected or measured `likelihood` and `impact` after treatment (e.g. `residual: {likelihood: 2, impact: 3}`), on the same scales as the RiskCriteria. An override is honest only briefly, e.g. `severity: info` while a just-started treatment has no measurable effect yet, with that reason.",
		Configurable: true,
	},
	AcceptedWithoutApproval: &diag.Rule{
		ID: "AIMS-G033", Severity: diag.Error, Refs: []string{"6.1.3"},
		Title: "Risk accepted without approval", Description: "A risk accepted as it is, or whose residual score is above the threshold, needs acceptance by an approver.",
		Why:          "Clause 6.1.3 requires the designated risk owners or management to approve the treatment plan and accept the remaining AI risk; an accepted or above-threshold residual risk with no named approver is a decision nobody is accountable for.",
		Fix:          "Add `acceptance` to the Risk with `approved_by` (a Person or Role id with authority to accept risk), `approved_on: YYYY-MM-DD` and a `rationale`; or treat the risk further until `residual` is at or below the acceptance threshold. Do not override: formal acceptance is what the clause asks for.",
		Configurable: true,
	},
	ReviewOverdue: &diag.Rule{
		ID: "AIMS-G034", Severity: diag.Error, Refs: []string{"8.2"},
		Title: "Risk review overdue", Description: "A risk's next_review date has passed.",
		Why:          "Clause 8.2 expects risk assessments at planned intervals; a risk whose own review date has passed is direct evidence to the auditor that the planned reassessment did not happen.",
		Fix:          "Reassess the risk: update `likelihood`, `impact`, `residual` and `assessed`, then move `next_review` forward (e.g. `next_review: 2027-03-31`); if the risk no longer exists set `state: closed`. An override is not honest here; if the intervals are too tight, plan later `next_review` dates instead.",
		Configurable: true,
	},
	TreatmentOverdue: &diag.Rule{
		ID: "AIMS-G035", Severity: diag.Error, Refs: []string{"8.3"},
		Title: "Treatment plan overdue", Description: "A treatment plan is past its due date and not done.",
		Why:          "Clause 8.3 requires the treatment plan to be implemented; an overdue treatment means the risk stays above what was planned and the auditor will ask why the plan slipped and who decided to accept the delay.",
		Fix:          "Finish the work and set `treatment.progress: done`, or re-plan it by moving `treatment.due` to a realistic date and recording who agreed (e.g. in a ManagementReview `decisions` entry or the treatment `plan`). An override is only honest as `severity: warning` or `info` with a reason naming the approved new date.",
		Configurable: true,
	},
	AcceptanceAuthority: &diag.Rule{
		ID: "AIMS-G036", Severity: diag.Error, Refs: []string{"6.1.3", "8.3"},
		Title: "Risk accepted beyond authority", Description: "A risk is accepted by someone whose band in the risk criteria's acceptance_authority does not reach its residual score.",
		Why:          "Clause 6.1.3 has the designated owners or management accept the remaining risk, and the risk criteria (6.1.1) say who that is for which level of risk. An acceptance of a residual score of 25 by a risk owner whom the criteria allow only up to 9 is no acceptance at all, and an auditor comparing the register with the criteria will raise it.",
		Fix:          "Have the risk accepted by a holder of a role whose band covers the score (`acceptance: {approved_by: <person or role id>, ...}`), treat it further until its `residual` falls into the accepting band, or correct the bands in the RiskCriteria: `acceptance_authority: [{max_score: 6, risk_owner: true}, {max_score: 9, role: chief-risk-officer}, {max_score: 25, role: top-management}]`. The score judged is the residual score, or the inherent score when no residual is recorded. Do not override.",
		Configurable: true,
	},
}

// acceptanceBands are the acceptance authorities of the first RiskCriteria
// (in file order) that records any.
func (a *analyzer) acceptanceBands() ([]aims.AcceptanceBand, string) {
	for _, c := range a.m.RiskCriteria {
		if len(c.AcceptanceAuthority) > 0 {
			return c.AcceptanceAuthority, cmp.Or(c.ID, c.Name())
		}
	}
	return nil, ""
}

// checkAcceptance judges an acceptance against the bands: the score is
// the residual one, else the inherent one.
func (a *analyzer) checkAcceptance(r *aims.Risk, v RiskVerdict) {
	bands, criteria := a.acceptanceBands()
	if !v.Accepted || len(bands) == 0 || !a.people().known(v.AcceptedBy) {
		return
	}
	score := v.Score
	if v.Residual >= 0 {
		score = v.Residual
	}
	p := a.people()
	for _, b := range bands {
		if score > b.MaxScore {
			continue
		}
		if (b.RiskOwner && p.same(v.AcceptedBy, r.Owner)) || (b.Role != "" && slices.Contains(p.rolesOf(v.AcceptedBy), b.Role)) {
			return
		}
	}
	var may []string
	for _, b := range bands {
		if score <= b.MaxScore {
			may = append(may, cmp.Or(b.Role, "the risk owner"))
		}
	}
	who := "nobody may accept it"
	if len(may) > 0 {
		who = "only " + strings.Join(may, " or ") + " may accept it"
	}
	a.report(riskRule.AcceptanceAuthority, pos(r.Doc, "acceptance", "approved_by"), "risk %s is accepted by %s at a score of %d, but under the acceptance authority of risk criteria %s %s", r.ID, v.AcceptedBy, score, criteria, who)
}

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
			t := Threshold{Value: c.AcceptanceThreshold, Source: "RiskCriteria " + cmp.Or(c.ID, c.Name())}
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
			a.report(riskRule.UntreatedAboveThreshold, pos(d, "likelihood"), "risk %s scores %d (likelihood %d x impact %d), above the acceptance threshold %d, and has no treatment", r.ID, v.Score, r.Likelihood, r.Impact, th)
		case t != nil && t.Option != "accept" && len(t.Controls) == 0:
			a.report(riskRule.TreatmentWithoutControls, pos(d, "treatment", "option"), "risk %s is treated (%s) but names no Annex A controls", r.ID, t.Option)
		}
		if t != nil && t.Option != "accept" && r.Residual == nil {
			a.report(riskRule.ResidualNotEvaluated, pos(d, "treatment"), "risk %s has a treatment but no residual likelihood and impact", r.ID)
		}
		if !v.Accepted {
			switch {
			case t != nil && t.Option == "accept":
				a.report(riskRule.AcceptedWithoutApproval, pos(d, "treatment", "option"), "risk %s is accepted without an acceptance by an approver", r.ID)
			case v.ResidualAbove:
				a.report(riskRule.AcceptedWithoutApproval, pos(d, "residual"), "risk %s keeps a residual score of %d, above the acceptance threshold %d, without an acceptance by an approver", r.ID, v.Residual, th)
			}
		}
		a.checkAcceptance(r, v)
		if v.ReviewOverdue {
			a.report(riskRule.ReviewOverdue, pos(d, "next_review"), "risk %s was due for review on %s", r.ID, r.NextReview)
		}
		if v.TreatmentOverdue {
			a.report(riskRule.TreatmentOverdue, pos(d, "treatment", "due"), "the treatment plan of risk %s was due on %s and is not done", r.ID, t.Due)
		}
	}
}
