package gap

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/diag"
)

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
				a.report("AIMS-G062", pos(au.Doc, "auditor"), "audit %s does not record an independent auditor", au.ID)
			}
			for i, f := range au.Findings {
				if (f.Type == "major" || f.Type == "minor") && f.Nonconformity == "" {
					a.report("AIMS-G063", pos(au.Doc, "findings", i), "%s finding %s of audit %s raises no nonconformity", f.Type, or2(f.ID, "#"+itoa(i+1)), au.ID)
				}
			}
		}
	}
	for _, au := range a.m.Audits {
		if au.State == "planned" && a.past(au.Date) {
			a.report("AIMS-G067", pos(au.Doc, "date"), "audit %s was planned for %s and is not recorded as completed", au.ID, au.Date)
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
		a.report("AIMS-G060", diag.Pos{}, "no internal audit completed in the last %d months (%s)", a.auditCycle, last)
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
		a.report("AIMS-G061", diag.Pos{}, "internal audits of the last %d months do not cover clause%s %s", a.programme, pluralPlain(len(missing)), strings.Join(missing, ", "))
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
			a.report("AIMS-G066", pos(r.Doc, "actions", i, "due"), "action %q from management review %s was due on %s", act.Action, r.ID, act.Due)
		}
		if v.Planned || a.before(r.Date, cycleStart) {
			continue // planned, or history: the current cycle's reviews are what count
		}
		recent = true
		if len(v.Missing) > 0 {
			a.report("AIMS-G065", pos(r.Doc, "inputs"), "management review %s does not cover: %s", r.ID, strings.Join(v.Missing, ", "))
		}
	}
	if !recent {
		a.report("AIMS-G064", diag.Pos{}, "no management review held in the last %d months", a.reviewCycle)
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
			a.reportSev("AIMS-G070", sev, pos(d), "nonconformity %s has no %s", n.ID, missing)
		}
		if v.Open {
			if v.DueOverdue {
				a.report("AIMS-G071", pos(d, "due"), "nonconformity %s was due to be closed on %s", n.ID, n.Due)
			}
			for _, i := range v.OverdueActions {
				ca := n.CorrectiveActions[i]
				a.report("AIMS-G071", pos(d, "corrective_actions", i, "due"), "corrective action %q of %s was due on %s", ca.Action, n.ID, ca.Due)
			}
		} else if n.Effectiveness == nil {
			a.report("AIMS-G072", pos(d, "state"), "nonconformity %s is closed without an effectiveness review", n.ID)
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
		a.report("AIMS-G080", diag.Pos{}, "no AI objectives: add measurable, owned Objective documents (6.2)")
	}
	for _, o := range a.m.Objectives {
		v := a.judgeObjective(o)
		a.objectives = append(a.objectives, v)
		if v.Overdue {
			a.report("AIMS-G081", pos(o.Doc, "due"), "objective %s was due on %s and is not achieved", o.ID, o.Due)
		}
		if len(o.Measurements) == 0 {
			a.report("AIMS-G082", pos(o.Doc), "objective %s has never been measured", o.ID)
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
