package gap

import (
	"cmp"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/diag"
)

// nonconformityRule are the rules about nonconformities and corrective action;
// each sits beside the check that applies it and is registered by being a
// field here.
var nonconformityRule = struct {
	NonconformityIncomplete *diag.Rule
	NonconformityOverdue    *diag.Rule
	ClosureWithoutReview    *diag.Rule
	ClosedIneffective       *diag.Rule
	ClosedWithOpenAction    *diag.Rule
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
		Fix:          "Add `effectiveness` to the closed `kind: Nonconformity` with `reviewed_on`, `reviewed_by` (the Person who reviewed it), `effective: true` and a `note` on how it was checked; if the review shows the action did not work, set `effective: false` and reopen it (`state: open`). An override is not honest.",
		Configurable: true,
	},
	ClosedIneffective: &diag.Rule{
		ID: "AIMS-G073", Severity: diag.Error, Refs: []string{"10.1", "10.2"},
		Title: "Closed although its actions were not effective", Description: "A nonconformity whose effectiveness review says `effective: false` is closed; a failed review reopens it.",
		Why:          "Clause 10.2 requires the effectiveness of corrective action to be reviewed, and a review that found the action did not work means the nonconformity is still there. An auditor reading `closed` beside `effective: false` concludes the closure is a formality and will raise the correction process itself as a nonconformity.",
		Fix:          "Reopen the nonconformity (`state: open` or `in_progress`, remove `closed_on`), add corrective actions that address why the first ones failed, and close it again only after a new effectiveness review says `effective: true`. An override is not honest.",
		Configurable: true,
	},
	ClosedWithOpenAction: &diag.Rule{
		ID: "AIMS-G074", Severity: diag.Error, Refs: []string{"10.1", "10.2"},
		Title: "Closed with a corrective action not done", Description: "A closed nonconformity has a corrective action whose state is not `done`.",
		Why:          "Clause 10.2 requires the actions needed to be implemented before a nonconformity is dealt with; closing it while one of its corrective actions is still open or in progress tells the auditor the register says more than was done.",
		Fix:          "Finish the action and set its `state: done` with `completed: YYYY-MM-DD`, or reopen the nonconformity (`state: in_progress`) until it is done. If an action was dropped, say so in the nonconformity's description and remove it after the effectiveness review confirms it was not needed. An override is not honest.",
		Configurable: true,
	},
}

// NonconformityVerdict is a nonconformity judged against the calendar. An
// open one is overdue when its own due date or one of its corrective
// actions' has passed; a closed one is never overdue.
type NonconformityVerdict struct {
	ID             string `json:"id"`
	Open           bool   `json:"open"`
	DueOverdue     bool   `json:"due_overdue"`     // its own due date has passed
	OverdueActions []int  `json:"overdue_actions"` // indexes of late corrective actions
	// Closure is whether a closed nonconformity's closure holds: "effective"
	// (every corrective action done, and a named, dated review found them
	// effective), "not reviewed", "ineffective" or "actions open"; empty
	// while it is open.
	Closure string `json:"closure,omitempty"`
	// OpenActions are the indexes of the corrective actions of a closed
	// nonconformity that are not done.
	OpenActions []int `json:"open_actions,omitempty"`
}

// Closed reports whether the nonconformity is closed and its closure holds.
func (v NonconformityVerdict) Closed() bool { return !v.Open && v.Closure == "effective" }

// Overdue reports whether the nonconformity or any of its actions is late.
func (v NonconformityVerdict) Overdue() bool { return v.DueOverdue || len(v.OverdueActions) > 0 }

// Nonconformity returns the verdict on the nonconformity with id.
func (r *Result) Nonconformity(id string) (NonconformityVerdict, bool) {
	return find(r.Nonconformities, id, func(v NonconformityVerdict) string { return v.ID })
}

func (a *analyzer) judgeNonconformity(n *aims.Nonconformity) NonconformityVerdict {
	v := NonconformityVerdict{ID: n.ID, Open: n.Open(), OverdueActions: []int{}}
	if !v.Open {
		for i, ca := range n.CorrectiveActions {
			if ca.State != "done" {
				v.OpenActions = append(v.OpenActions, i)
			}
		}
		e := n.Effectiveness
		switch {
		case len(v.OpenActions) > 0:
			v.Closure = "actions open"
		case e != nil && e.ReviewedOn != "" && e.ReviewedBy != "" && !e.Effective:
			v.Closure = "ineffective"
		case e == nil || e.ReviewedOn == "" || e.ReviewedBy == "":
			v.Closure = "not reviewed"
		default:
			v.Closure = "effective"
		}
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
			a.reportSev(nonconformityRule.NonconformityIncomplete, sev, pos(d), "nonconformity %s has no %s", n.ID, missing)
		}
		if v.Open {
			if v.DueOverdue {
				a.report(nonconformityRule.NonconformityOverdue, pos(d, "due"), "nonconformity %s was due to be closed on %s", n.ID, n.Due)
			}
			for _, i := range v.OverdueActions {
				ca := n.CorrectiveActions[i]
				a.report(nonconformityRule.NonconformityOverdue, pos(d, "corrective_actions", i, "due"), "corrective action %q of %s was due on %s", ca.Action, n.ID, ca.Due)
			}
			continue
		}
		for _, i := range v.OpenActions {
			ca := n.CorrectiveActions[i]
			a.report(nonconformityRule.ClosedWithOpenAction, pos(d, "corrective_actions", i, "state"), "nonconformity %s is closed but its corrective action %q is %s", n.ID, ca.Action, cmp.Or(ca.State, "without a state"))
		}
		switch e := n.Effectiveness; {
		case e == nil:
			a.report(nonconformityRule.ClosureWithoutReview, pos(d, "state"), "nonconformity %s is closed without an effectiveness review", n.ID)
		case e.ReviewedBy == "":
			a.report(nonconformityRule.ClosureWithoutReview, pos(d, "effectiveness"), "the effectiveness review of nonconformity %s names no reviewer (reviewed_by)", n.ID)
		case !e.Effective:
			a.report(nonconformityRule.ClosedIneffective, pos(d, "effectiveness", "effective"), "nonconformity %s is closed although its effectiveness review found the actions not effective: reopen it", n.ID)
		}
	}
}
