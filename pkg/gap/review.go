package gap

import (
	"slices"
	"strings"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/diag"
)

// reviewRule are the rules about management reviews; each sits beside the check that
// applies it and is registered by being a field here.
var reviewRule = struct {
	NoRecentReview      *diag.Rule
	ReviewInputsMissing *diag.Rule
	ReviewActionOverdue *diag.Rule
	ReviewNoOutputs     *diag.Rule
}{
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
	ReviewNoOutputs: &diag.Rule{
		ID: "AIMS-G068", Severity: diag.Warning, Refs: []string{"9.3.3"},
		Title: "Review records no decisions or actions", Description: "A management review in the current review cycle must record its decisions and the actions it decided.",
		Why:          "Clause 9.3.3 requires the results of a management review to include decisions on improvement and on any need for changes to the AIMS, kept as documented information; a review with inputs but no recorded decisions or actions shows top management listened but decided nothing an auditor can follow up.",
		Fix:          "Add `decisions` (plain sentences: what top management decided, e.g. to approve the 2027 objectives) and `actions` (each with `action`, `owner`, `due` and `state`) to the `kind: ManagementReview`, as the signed minutes record them. An override is not honest.",
		Configurable: true,
	},
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
			a.report(reviewRule.ReviewActionOverdue, pos(r.Doc, "actions", i, "due"), "action %q from management review %s was due on %s", act.Action, r.ID, act.Due)
		}
		if v.Planned || a.before(r.Date, cycleStart) {
			continue // planned, or history: the current cycle's reviews are what count
		}
		recent = true
		if len(v.Missing) > 0 {
			a.report(reviewRule.ReviewInputsMissing, pos(r.Doc, "inputs"), "management review %s does not cover: %s", r.ID, strings.Join(v.Missing, ", "))
		}
		var none []string
		if len(r.Decisions) == 0 {
			none = append(none, "decisions")
		}
		if len(r.Actions) == 0 {
			none = append(none, "actions")
		}
		if len(none) > 0 {
			a.report(reviewRule.ReviewNoOutputs, pos(r.Doc, none[0]), "management review %s records no %s (9.3.3)", r.ID, strings.Join(none, " and no "))
		}
	}
	if !recent {
		a.report(reviewRule.NoRecentReview, diag.Pos{}, "no management review held in the last %d months", a.reviewCycle)
	}
}
