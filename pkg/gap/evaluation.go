package gap

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/diag"
)

// evaluationRule are the rules about internal audits and management reviews;
// each sits beside the check that applies it and is registered by being a
// field here.
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
	NoRecentAudit: &diag.Rule{
		ID: "AIMS-G060", Severity: diag.Error, Refs: []string{"9.2.1"},
		Title: "No recent internal audit", Description: "An internal audit must be completed within the audit cycle (settings.audit_cycle_months).",
		Why:          "Clause 9.2.1 requires internal audits at planned intervals; no completed internal audit within the cycle is one of the most common reasons a certification audit cannot proceed, because the AIMS has not checked itself.",
		Fix:          "Run the internal audit and record it as a `kind: Audit` with `type: internal`, `state: completed`, `date` within `settings.audit_cycle_months` (default 12), `scope` (clause and control ids), `auditor` and `findings`. External or certification audits do not count. An override is not honest; change `settings.audit_cycle_months` only if your documented audit programme really uses a different interval.",
		Configurable: true,
	},
	ProgrammeIncomplete: &diag.Rule{
		ID: "AIMS-G061", Severity: diag.Error, Refs: []string{"9.2.2"},
		Title: "Audit programme incomplete", Description: "Audits completed within the programme period must together cover every clause 4-10.",
		Why:          "Clause 9.2.2 expects an audit programme that, over its period, covers the whole management system; clauses left out of every audit are areas nobody has independently checked, which an auditor will note.",
		Fix:          "Plan and complete internal audits whose `scope` includes the missing clauses (e.g. `scope: [\"7.2\", \"8.3\", \"10.2\"]`; any sub-clause counts for its clause), or add them to the next audit. `settings.audit_programme_months` (default 36) sets the period; an override is not honest while clauses are genuinely unaudited.",
		Configurable: true,
	},
	AuditorIndependence: &diag.Rule{
		ID: "AIMS-G062", Severity: diag.Warning, Refs: []string{"9.2.2"},
		Title: "Auditor independence not shown", Description: "An audit completed within the programme period must record an auditor independent of the area audited.",
		Why:          "Clause 9.2.2 requires auditors to be chosen so the audit is objective and impartial; auditors of certification bodies check that nobody audited their own work.",
		Fix:          "Record the auditor under `auditor` in the `kind: Audit` with `name`, `person` or `organization`, and `independent: true` once you have confirmed they do not work in the area audited. If that was not possible, an override is the honest answer, e.g. `severity: info` with `reason: \"First audit run by the AIMS manager; an external auditor is booked for Q2.\"`.",
		Configurable: true,
	},
	FindingWithoutNonconformity: &diag.Rule{
		ID: "AIMS-G063", Severity: diag.Error, Refs: []string{"10.2"},
		Title: "Audit finding without nonconformity", Description: "A major or minor audit finding must raise a Nonconformity.",
		Why:          "Clause 10.2 requires nonconformities to be acted on; a major or minor audit finding that never became a tracked nonconformity has no root cause, corrective action or closure an auditor can follow.",
		Fix:          "Create a `kind: Nonconformity` (`source: internal_audit`, `audit: <audit id>`, `detected`, `requirements`, `state: open`) and link it from the finding with `nonconformity: <its id>`. If the finding is really an improvement suggestion, change its `type` to `observation` or `opportunity`. Do not override.",
		Configurable: true,
	},
	NoRecentReview: &diag.Rule{
		ID: "AIMS-G064", Severity: diag.Error, Refs: []string{"9.3.1"},
		Title: "No recent management review", Description: "A management review must be held within the review cycle (settings.review_cycle_months).",
		Why:          "Clause 9.3.1 requires top management to review the AIMS at planned intervals; with no recent management review there is no evidence of leadership oversight, and certification auditors treat that as a major gap.",
		Fix:          "Hold the review and record it as a `kind: ManagementReview` with `date`, `chair`, `attendees`, `inputs`, `decisions`, `actions` and `minutes` (an Evidence id for the signed minutes). `settings.review_cycle_months` (default 12) sets the interval; an override is not honest.",
		Configurable: true,
	},
	ReviewInputsMissing: &diag.Rule{
		ID: "AIMS-G065", Severity: diag.Warning, Refs: []string{"9.3.2"},
		Title: "Review inputs missing", Description: "A management review in the current review cycle must cover the required inputs (previous actions, context changes, interested parties, nonconformities, monitoring results, audit results, objectives, risks, opportunities).",
		Why:          "Clause 9.3.2 lists what a management review must consider; an auditor compares the agenda and minutes against that list, and a missing input (audit results, risks, nonconformities...) means top management decided without it.",
		Fix:          "Cover the missing topics in the review and add them to `inputs` in the `kind: ManagementReview`: `previous_actions`, `context_changes`, `interested_parties`, `nonconformities`, `monitoring_results`, `audit_results`, `objectives`, `risks`, `opportunities`. List an input only if the minutes show it was discussed; an override is not honest.",
		Configurable: true,
	},
	ReviewActionOverdue: &diag.Rule{
		ID: "AIMS-G066", Severity: diag.Warning, Refs: []string{"9.3.3"},
		Title: "Review action overdue", Description: "An action from a management review is past due and not done.",
		Why:          "Clause 9.3.3 expects the results of management review, including decided actions, to be retained and followed through; an overdue action tells the auditor that top management's decisions are not being carried out.",
		Fix:          "Complete the action and set its `state: done`, or agree a new `due` date (recorded in the next review's `decisions`) and update it. An override with a reason is honest only if the action was consciously dropped; better to record that decision and mark it `done`.",
		Configurable: true,
	},
	PlannedAuditOverdue: &diag.Rule{
		ID: "AIMS-G067", Severity: diag.Warning, Refs: []string{"9.2.2"},
		Title: "Planned audit overdue", Description: "An audit still marked planned after its date: record it as completed, or re-plan it.",
		Why:          "An audit programme (9.2.2) that says an audit is still planned after its date leaves the auditor unsure whether it happened; either the record is out of date or the programme slipped.",
		Fix:          "If the audit took place, set `state: completed` on the `kind: Audit` and add `auditor`, `findings` and `report`; if it did not, move `date` to the new planned date. An override is not needed: correcting the record is always possible.",
		Configurable: true,
	},
}

// improvementRule are the rules about nonconformities and corrective action;
// each sits beside the check that applies it and is registered by being a
// field here.
var improvementRule = struct {
	NonconformityIncomplete *diag.Rule
	NonconformityOverdue    *diag.Rule
	ClosureWithoutReview    *diag.Rule
}{
	NonconformityIncomplete: &diag.Rule{
		ID: "AIMS-G070", Severity: diag.Error, Refs: []string{"10.2"},
		Title: "Nonconformity without root cause or action", Description: "A nonconformity needs a root cause and corrective actions (a warning in its first 30 days).",
		Why:          "Clause 10.2 requires the causes of a nonconformity to be found and actions taken so it does not recur; a nonconformity without root cause or corrective actions is only a complaint, and auditors check this first in the NC register. aims allows 30 days from `detected` before this is an error.",
		Fix:          "Add `root_cause` (what actually caused it, not a restatement) and `corrective_actions` to the `kind: Nonconformity`, each with `action`, `owner`, `due` and `state`. An override is not honest.",
		Configurable: true,
	},
	NonconformityOverdue: &diag.Rule{
		ID: "AIMS-G071", Severity: diag.Error, Refs: []string{"10.2"},
		Title: "Nonconformity overdue", Description: "An open nonconformity or one of its corrective actions is past its due date.",
		Why:          "Clause 10.2 expects corrective actions to be carried out; overdue nonconformities or actions are the clearest sign to an auditor that the correction process is not working.",
		Fix:          "Finish the work and set the action's `state: done` with `completed: YYYY-MM-DD` (and `state: closed` with `closed_on` on the nonconformity when all are done), or agree and record a new `due` date with its reason. An override is not honest for real slippage.",
		Configurable: true,
	},
	ClosureWithoutReview: &diag.Rule{
		ID: "AIMS-G072", Severity: diag.Warning, Refs: []string{"10.1", "10.2"},
		Title: "Closure without effectiveness review", Description: "A closed nonconformity needs a review showing its corrective actions worked.",
		Why:          "Clauses 10.2 and 10.1 require the effectiveness of corrective actions to be reviewed; an auditor will reopen a nonconformity that was closed without showing the problem actually went away.",
		Fix:          "Add `effectiveness` to the closed `kind: Nonconformity` with `reviewed_on`, `reviewed_by`, `effective: true` and a `note` on how it was checked; if the review shows the action did not work, set `effective: false` and reopen it (`state: open`). An override is not honest.",
		Configurable: true,
	},
}

// objectiveRule are the rules about AI objectives; each sits beside the
// check that applies it and is registered by being a field here.
var objectiveRule = struct {
	NoObjectives           *diag.Rule
	ObjectiveOverdue       *diag.Rule
	ObjectiveNeverMeasured *diag.Rule
}{
	NoObjectives: &diag.Rule{
		ID: "AIMS-G080", Severity: diag.Error, Refs: []string{"6.2"},
		Title: "No AI objectives", Description: "The AIMS needs measurable, owned AI objectives.",
		Why:          "Clause 6.2 requires measurable AI objectives, consistent with the AI policy, with plans to achieve them; without them an auditor cannot see what the AIMS is trying to achieve or judge its performance.",
		Fix:          "Add `kind: Objective` documents with `owner`, `metric`, `target` (`value`, `unit`, `direction`), `baseline`, `due`, `plan` and `policy` (the AI policy id), e.g. `metric: share of high-risk systems with a current impact assessment`, `target: {value: 100, unit: \"%\", direction: at_least}`. Do not override: objectives are required documented information.",
		Configurable: true,
	},
	ObjectiveOverdue: &diag.Rule{
		ID: "AIMS-G081", Severity: diag.Warning, Refs: []string{"6.2"},
		Title: "Objective overdue", Description: "An objective is past its due date and not achieved.",
		Why:          "Clause 6.2 expects objectives to be monitored and updated; a missed deadline that nobody has acted on suggests the objective is no longer managed, which the auditor will raise at management review.",
		Fix:          "If the target was met, add the measurement and set `progress: achieved`; otherwise record the miss (`progress: missed`) and set a new `due` with the decision in a ManagementReview, or retire the objective with `status: retired`. An override is honest only for an objective consciously abandoned by management, named in the reason.",
		Configurable: true,
	},
	ObjectiveNeverMeasured: &diag.Rule{
		ID: "AIMS-G082", Severity: diag.Warning, Refs: []string{"9.1"},
		Title: "Objective never measured", Description: "An objective has no measurements.",
		Why:          "Clause 9.1 requires monitoring and measurement results to be retained; an objective that was never measured gives the auditor no evidence of progress toward 6.2.",
		Fix:          "Add entries to `measurements` in the `kind: Objective`, each with `date`, `value` and an optional `note` (e.g. `- {date: 2026-10-01, value: 62}`). For a brand-new objective an override with a reason (e.g. `severity: info`, first measurement due next quarter) is acceptable.",
		Configurable: true,
	},
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

// ReviewInputs are the inputs 9.3.2 asks a management review to consider,
// as recorded in a review's inputs list. The list lives here only: the
// rule and every renderer read it through ReviewVerdict.
func ReviewInputs() []string {
	return []string{"previous_actions", "context_changes", "interested_parties", "nonconformities",
		"monitoring_results", "audit_results", "objectives", "risks", "opportunities"}
}

// ReviewVerdict is a management review judged: held or planned, the
// required inputs it does not cover, and which of its actions are overdue.
type ReviewVerdict struct {
	ID       string   `json:"id"`
	Planned  bool     `json:"planned"` // dated after today
	Required int      `json:"required_inputs"`
	Covered  int      `json:"covered_inputs"`
	Missing  []string `json:"missing_inputs"`
	// OverdueActions are the indexes of its actions that are not done and
	// past their due date, whenever the review was held: an action carried
	// over from an older review is no less late.
	OverdueActions []int `json:"overdue_actions"`
}

// Review returns the verdict on the management review with id.
func (r *Result) Review(id string) (ReviewVerdict, bool) {
	return find(r.Reviews, id, func(v ReviewVerdict) string { return v.ID })
}

func (a *analyzer) judgeReview(r *aims.ManagementReview) ReviewVerdict {
	req := ReviewInputs()
	v := ReviewVerdict{ID: r.ID, Planned: a.after(r.Date), Required: len(req), Missing: []string{}, OverdueActions: []int{}}
	for _, in := range req {
		if slices.Contains(r.Inputs, in) {
			v.Covered++
		} else {
			v.Missing = append(v.Missing, in)
		}
	}
	for i, act := range r.Actions {
		if act.State != "done" && act.Due != "" && a.past(act.Due) {
			v.OverdueActions = append(v.OverdueActions, i)
		}
	}
	return v
}

func (a *analyzer) checkReviews() {
	cycleStart := a.monthsAgo(a.reviewCycle)
	recent := false
	for _, r := range a.m.Reviews {
		v := a.judgeReview(r)
		a.reviews = append(a.reviews, v)
		for _, i := range v.OverdueActions {
			act := r.Actions[i]
			a.report(evaluationRule.ReviewActionOverdue, pos(r.Doc, "actions", i, "due"), "action %q from management review %s was due on %s", act.Action, r.ID, act.Due)
		}
		if v.Planned || a.before(r.Date, cycleStart) {
			continue // planned, or history: the current cycle's reviews are what count
		}
		recent = true
		if len(v.Missing) > 0 {
			a.report(evaluationRule.ReviewInputsMissing, pos(r.Doc, "inputs"), "management review %s does not cover: %s", r.ID, strings.Join(v.Missing, ", "))
		}
	}
	if !recent {
		a.report(evaluationRule.NoRecentReview, diag.Pos{}, "no management review held in the last %d months", a.reviewCycle)
	}
}

// NonconformityVerdict is a nonconformity judged against the calendar. An
// open one is overdue when its own due date or one of its corrective
// actions' has passed; a closed one is never overdue.
type NonconformityVerdict struct {
	ID             string `json:"id"`
	Open           bool   `json:"open"`
	DueOverdue     bool   `json:"due_overdue"`     // its own due date has passed
	OverdueActions []int  `json:"overdue_actions"` // indexes of late corrective actions
}

// Overdue reports whether the nonconformity or any of its actions is late.
func (v NonconformityVerdict) Overdue() bool { return v.DueOverdue || len(v.OverdueActions) > 0 }

// Nonconformity returns the verdict on the nonconformity with id.
func (r *Result) Nonconformity(id string) (NonconformityVerdict, bool) {
	return find(r.Nonconformities, id, func(v NonconformityVerdict) string { return v.ID })
}

func (a *analyzer) judgeNonconformity(n *aims.Nonconformity) NonconformityVerdict {
	v := NonconformityVerdict{ID: n.ID, Open: n.Open(), OverdueActions: []int{}}
	if !v.Open {
		return v
	}
	v.DueOverdue = n.Due != "" && a.past(n.Due)
	for i, ca := range n.CorrectiveActions {
		if ca.State != "done" && ca.Due != "" && a.past(ca.Due) {
			v.OverdueActions = append(v.OverdueActions, i)
		}
	}
	return v
}

func (a *analyzer) checkNonconformities() {
	for _, n := range a.m.Nonconformities {
		d := n.Doc
		v := a.judgeNonconformity(n)
		a.ncs = append(a.ncs, v)
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
		if v.Open {
			if v.DueOverdue {
				a.report(improvementRule.NonconformityOverdue, pos(d, "due"), "nonconformity %s was due to be closed on %s", n.ID, n.Due)
			}
			for _, i := range v.OverdueActions {
				ca := n.CorrectiveActions[i]
				a.report(improvementRule.NonconformityOverdue, pos(d, "corrective_actions", i, "due"), "corrective action %q of %s was due on %s", ca.Action, n.ID, ca.Due)
			}
		} else if n.Effectiveness == nil {
			a.report(improvementRule.ClosureWithoutReview, pos(d, "state"), "nonconformity %s is closed without an effectiveness review", n.ID)
		}
	}
}

// ObjectiveVerdict is an objective judged: overdue (past its due date and
// not achieved) and whether its latest measurement meets the target.
type ObjectiveVerdict struct {
	ID       string `json:"id"`
	Overdue  bool   `json:"overdue"`
	OnTarget string `json:"on_target"`        // met, not met, not measured
	Latest   string `json:"latest,omitempty"` // date of the measurement judged
}

// Objective returns the verdict on the objective with id.
func (r *Result) Objective(id string) (ObjectiveVerdict, bool) {
	return find(r.Objectives, id, func(v ObjectiveVerdict) string { return v.ID })
}

func (a *analyzer) judgeObjective(o *aims.Objective) ObjectiveVerdict {
	v := ObjectiveVerdict{ID: o.ID, Overdue: o.Progress != "achieved" && a.past(o.Due), OnTarget: "not measured"}
	// The latest measurement is the last by date; among equal dates, the
	// last written.
	var last *aims.Measurement
	for i := range o.Measurements {
		if m := &o.Measurements[i]; last == nil || m.Date >= last.Date {
			last = m
		}
	}
	if last != nil {
		v.Latest, v.OnTarget = last.Date, "not met"
		met := last.Value <= o.Target.Value
		if o.Target.Direction == "at_least" {
			met = last.Value >= o.Target.Value
		}
		if met {
			v.OnTarget = "met"
		}
	}
	return v
}

func (a *analyzer) checkObjectives() {
	if len(a.m.Objectives) == 0 && !a.m.HasInvalid("Objective") {
		a.report(objectiveRule.NoObjectives, diag.Pos{}, "no AI objectives: add measurable, owned Objective documents (6.2)")
	}
	for _, o := range a.m.Objectives {
		v := a.judgeObjective(o)
		a.objectives = append(a.objectives, v)
		if v.Overdue {
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
