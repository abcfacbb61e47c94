package gap

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/diag"
)

// evaluationRule are the rules about internal audits and management reviews; each sits beside the check that
// applies it and is registered by being a field here.
var evaluationRule = struct {
	NoRecentAudit               *diag.Rule
	ProgrammeIncomplete         *diag.Rule
	AuditorIndependence         *diag.Rule
	FindingWithoutNonconformity *diag.Rule
	NoRecentReview              *diag.Rule
	ReviewInputsMissing         *diag.Rule
	ReviewActionOverdue         *diag.Rule
	PlannedAuditOverdue         *diag.Rule
}{
	NoRecentAudit:               &diag.Rule{ID: "AIMS-G060", Severity: diag.Error, Refs: []string{"9.2.1"}, Title: "No recent internal audit", Description: "An internal audit must be completed within the audit cycle (settings.audit_cycle_months).", Configurable: true},
	ProgrammeIncomplete:         &diag.Rule{ID: "AIMS-G061", Severity: diag.Error, Refs: []string{"9.2.2"}, Title: "Audit programme incomplete", Description: "Audits completed within the programme period must together cover every clause 4-10.", Configurable: true},
	AuditorIndependence:         &diag.Rule{ID: "AIMS-G062", Severity: diag.Warning, Refs: []string{"9.2.2"}, Title: "Auditor independence not shown", Description: "An audit completed within the programme period must record an auditor independent of the area audited.", Configurable: true},
	FindingWithoutNonconformity: &diag.Rule{ID: "AIMS-G063", Severity: diag.Error, Refs: []string{"10.2"}, Title: "Audit finding without nonconformity", Description: "A major or minor audit finding must raise a Nonconformity.", Configurable: true},
	NoRecentReview:              &diag.Rule{ID: "AIMS-G064", Severity: diag.Error, Refs: []string{"9.3.1"}, Title: "No recent management review", Description: "A management review must be held within the review cycle (settings.review_cycle_months).", Configurable: true},
	ReviewInputsMissing:         &diag.Rule{ID: "AIMS-G065", Severity: diag.Warning, Refs: []string{"9.3.2"}, Title: "Review inputs missing", Description: "A management review in the current review cycle must cover the required inputs (previous actions, context changes, interested parties, nonconformities, monitoring results, audit results, objectives, risks, opportunities).", Configurable: true},
	ReviewActionOverdue:         &diag.Rule{ID: "AIMS-G066", Severity: diag.Warning, Refs: []string{"9.3.3"}, Title: "Review action overdue", Description: "An action from a management review is past due and not done.", Configurable: true},
	PlannedAuditOverdue:         &diag.Rule{ID: "AIMS-G067", Severity: diag.Warning, Refs: []string{"9.2.2"}, Title: "Planned audit overdue", Description: "An audit still marked planned after its date: record it as completed, or re-plan it.", Configurable: true},
}

// improvementRule are the rules about nonconformities and corrective action; each sits beside the check that
// applies it and is registered by being a field here.
var improvementRule = struct {
	NonconformityIncomplete *diag.Rule
	NonconformityOverdue    *diag.Rule
	ClosureWithoutReview    *diag.Rule
}{
	NonconformityIncomplete: &diag.Rule{ID: "AIMS-G070", Severity: diag.Error, Refs: []string{"10.2"}, Title: "Nonconformity without root cause or action", Description: "A nonconformity needs a root cause and corrective actions (a warning in its first 30 days).", Configurable: true},
	NonconformityOverdue:    &diag.Rule{ID: "AIMS-G071", Severity: diag.Error, Refs: []string{"10.2"}, Title: "Nonconformity overdue", Description: "An open nonconformity or one of its corrective actions is past its due date.", Configurable: true},
	ClosureWithoutReview:    &diag.Rule{ID: "AIMS-G072", Severity: diag.Warning, Refs: []string{"10.1", "10.2"}, Title: "Closure without effectiveness review", Description: "A closed nonconformity needs a review showing its corrective actions worked.", Configurable: true},
}

// objectiveRule are the rules about AI objectives; each sits beside the check that
// applies it and is registered by being a field here.
var objectiveRule = struct {
	NoObjectives           *diag.Rule
	ObjectiveOverdue       *diag.Rule
	ObjectiveNeverMeasured *diag.Rule
}{
	NoObjectives:           &diag.Rule{ID: "AIMS-G080", Severity: diag.Error, Refs: []string{"6.2"}, Title: "No AI objectives", Description: "The AIMS needs measurable, owned AI objectives.", Configurable: true},
	ObjectiveOverdue:       &diag.Rule{ID: "AIMS-G081", Severity: diag.Warning, Refs: []string{"6.2"}, Title: "Objective overdue", Description: "An objective is past its due date and not achieved.", Configurable: true},
	ObjectiveNeverMeasured: &diag.Rule{ID: "AIMS-G082", Severity: diag.Warning, Refs: []string{"9.1"}, Title: "Objective never measured", Description: "An objective has no measurements.", Configurable: true},
}

// before reports whether date s is before t (false for an unparseable date).
func (a *analyzer) before(s string, t time.Time) bool {
	d, ok := parseDate(s)
	return ok && d.Before(t)
}

func (a *analyzer) checkAudits() {
	var internal []*aims.Audit
	for _, au := range a.m.Audits {
		if au.Type == "internal" && au.State == "completed" {
			internal = append(internal, au)
		}
		if au.State == "completed" && !a.before(au.Date, a.monthsAgo(a.programme)) {
			if au.Auditor == nil || au.Auditor.Independent == nil || !*au.Auditor.Independent {
				a.report(evaluationRule.AuditorIndependence, pos(au.Doc, "auditor"), "audit %s does not record an independent auditor", au.ID)
			}
			for i, f := range au.Findings {
				if (f.Type == "major" || f.Type == "minor") && f.Nonconformity == "" {
					a.report(evaluationRule.FindingWithoutNonconformity, pos(au.Doc, "findings", i), "%s finding %s of audit %s raises no nonconformity", f.Type, or2(f.ID, "#"+itoa(i+1)), au.ID)
				}
			}
		}
	}
	for _, au := range a.m.Audits {
		if au.State == "planned" && a.past(au.Date) {
			a.report(evaluationRule.PlannedAuditOverdue, pos(au.Doc, "date"), "audit %s was planned for %s and is not recorded as completed", au.ID, au.Date)
		}
	}
	cycleStart := a.monthsAgo(a.auditCycle)
	recent := slices.ContainsFunc(internal, func(au *aims.Audit) bool { return !a.before(au.Date, cycleStart) && !a.after(au.Date) })
	if !recent {
		last := "no internal audit has been completed"
		if len(internal) > 0 {
			latest := slices.MaxFunc(internal, func(x, y *aims.Audit) int { return strings.Compare(x.Date, y.Date) })
			last = "the last internal audit was on " + latest.Date
		}
		a.report(evaluationRule.NoRecentAudit, diag.Pos{}, "no internal audit completed in the last %d months (%s)", a.auditCycle, last)
	}

	// Coverage of clauses 4-10 by audits completed within the programme.
	progStart := a.monthsAgo(a.programme)
	covered := map[string]bool{}
	for _, au := range internal {
		if a.before(au.Date, progStart) {
			continue
		}
		for _, s := range au.Scope {
			covered[clauseGroup(s)] = true
		}
	}
	var missing []string
	for _, g := range []string{"4", "5", "6", "7", "8", "9", "10"} {
		if !covered[g] {
			missing = append(missing, g)
		}
	}
	if len(internal) > 0 && len(missing) > 0 {
		a.report(evaluationRule.ProgrammeIncomplete, diag.Pos{}, "internal audits of the last %d months do not cover clause%s %s", a.programme, pluralPlain(len(missing)), strings.Join(missing, ", "))
	}
}

// after reports whether date s is after today (a future audit date).
func (a *analyzer) after(s string) bool {
	d, ok := parseDate(s)
	return ok && d.After(a.now)
}

// clauseGroup maps "6.1.2" or "6" to "6"; Annex A ids map to themselves.
func clauseGroup(id string) string {
	if strings.HasPrefix(id, "A.") {
		return id
	}
	g, _, _ := strings.Cut(id, ".")
	return g
}

// requiredInputs are the management review inputs the gap rule asks for.
var requiredInputs = []string{"previous_actions", "context_changes", "interested_parties", "nonconformities",
	"monitoring_results", "audit_results", "objectives", "risks", "opportunities"}

func missingInputs(r *aims.ManagementReview) []string {
	var missing []string
	for _, in := range requiredInputs {
		if !slices.Contains(r.Inputs, in) {
			missing = append(missing, in)
		}
	}
	return missing
}

func (a *analyzer) checkReviews() {
	cycleStart := a.monthsAgo(a.reviewCycle)
	recent := false
	for _, r := range a.m.Reviews {
		if a.after(r.Date) {
			continue // planned
		}
		if a.before(r.Date, cycleStart) {
			continue // history: the current cycle's reviews are what count
		}
		recent = true
		if m := missingInputs(r); len(m) > 0 {
			a.report(evaluationRule.ReviewInputsMissing, pos(r.Doc, "inputs"), "management review %s does not cover: %s", r.ID, strings.Join(m, ", "))
		}
		for i, act := range r.Actions {
			if act.State != "done" && act.Due != "" && a.past(act.Due) {
				a.report(evaluationRule.ReviewActionOverdue, pos(r.Doc, "actions", i, "due"), "action %q from management review %s was due on %s", act.Action, r.ID, act.Due)
			}
		}
	}
	if !recent {
		a.report(evaluationRule.NoRecentReview, diag.Pos{}, "no management review held in the last %d months", a.reviewCycle)
	}
}

func (a *analyzer) checkNonconformities() {
	for _, n := range a.m.Nonconformities {
		d := n.Doc
		if n.RootCause == "" || len(n.CorrectiveActions) == 0 {
			missing := "root cause"
			switch {
			case n.RootCause != "":
				missing = "corrective actions"
			case len(n.CorrectiveActions) == 0:
				missing = "root cause and no corrective actions"
			}
			sev := diag.Severity(-1)
			if age, ok := a.daysSince(n.Detected); ok && age <= 30 {
				sev = diag.Warning
			}
			a.reportSev(improvementRule.NonconformityIncomplete, sev, pos(d), "nonconformity %s has no %s", n.ID, missing)
		}
		if n.Open() {
			if n.Due != "" && a.past(n.Due) {
				a.report(improvementRule.NonconformityOverdue, pos(d, "due"), "nonconformity %s was due to be closed on %s", n.ID, n.Due)
			}
			for i, ca := range n.CorrectiveActions {
				if ca.State != "done" && a.past(ca.Due) {
					a.report(improvementRule.NonconformityOverdue, pos(d, "corrective_actions", i, "due"), "corrective action %q of %s was due on %s", ca.Action, n.ID, ca.Due)
				}
			}
		} else if n.Effectiveness == nil {
			a.report(improvementRule.ClosureWithoutReview, pos(d, "state"), "nonconformity %s is closed without an effectiveness review", n.ID)
		}
	}
}

func (a *analyzer) checkObjectives() {
	if len(a.m.Objectives) == 0 && !a.m.HasInvalid("Objective") {
		a.report(objectiveRule.NoObjectives, diag.Pos{}, "no AI objectives: add measurable, owned Objective documents (6.2)")
	}
	for _, o := range a.m.Objectives {
		if o.Progress != "achieved" && a.past(o.Due) {
			a.report(objectiveRule.ObjectiveOverdue, pos(o.Doc, "due"), "objective %s was due on %s and is not achieved", o.ID, o.Due)
		}
		if len(o.Measurements) == 0 {
			a.report(objectiveRule.ObjectiveNeverMeasured, pos(o.Doc), "objective %s has never been measured", o.ID)
		}
	}
}

func or2(s, def string) string {
	if s != "" {
		return s
	}
	return def
}

func itoa(i int) string { return strconv.Itoa(i) }

func pluralPlain(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
