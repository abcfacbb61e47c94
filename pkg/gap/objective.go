package gap

import (
	"fmt"
	"strconv"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/diag"
)

// objectiveRule are the rules about AI objectives; each sits beside the
// check that applies it and is registered by being a field here.
var objectiveRule = struct {
	NoObjectives           *diag.Rule
	ObjectiveOverdue       *diag.Rule
	ObjectiveNeverMeasured *diag.Rule
	ProgressContradicted   *diag.Rule
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
		Title: "Objective overdue", Description: "An objective is past its due date and its latest measurement does not meet the target (whatever its `progress` says).",
		Why:          "Clause 6.2 expects objectives to be monitored and updated; a missed deadline that nobody has acted on suggests the objective is no longer managed, which the auditor will raise at management review.",
		Fix:          "If the target was met, add the measurement that shows it and set `progress: achieved`; otherwise record the miss (`progress: missed`) and set a new `due` with the decision in a ManagementReview, or retire the objective with `status: retired`. An override is honest only for an objective consciously abandoned by management, named in the reason.",
		Configurable: true,
	},
	ObjectiveNeverMeasured: &diag.Rule{
		ID: "AIMS-G082", Severity: diag.Warning, Refs: []string{"9.1"},
		Title: "Objective never measured", Description: "An objective has no measurements.",
		Why:          "Clause 9.1 requires monitoring and measurement results to be retained; an objective that was never measured gives the auditor no evidence of progress toward 6.2.",
		Fix:          "Add entries to `measurements` in the `kind: Objective`, each with `date`, `value` and an optional `note` (e.g. `- {date: 2026-10-01, value: 62}`). For a brand-new objective an override with a reason (e.g. `severity: info`, first measurement due next quarter) is acceptable.",
		Configurable: true,
	},
	ProgressContradicted: &diag.Rule{
		ID: "AIMS-G083", Severity: diag.Error, Refs: []string{"6.2", "9.1"},
		Title: "Objective progress contradicts its measurements", Description: "An objective says `progress: achieved` while its latest measurement misses the target (or it was never measured), or `on_track` after its due date with the target not met.",
		Why:          "Clause 6.2 asks for objectives that are monitored and evaluated, and 9.1 for the results to be retained: the evaluation is the latest measurement against the target and the due date, not a status somebody typed. An auditor who finds an objective marked achieved or on track that its own measurements refute stops trusting every other status in the AIMS.",
		Fix:          "Set `progress` to what the measurements show: `missed` or `at_risk` when the latest measurement misses the target, `achieved` only with a measurement that meets it. If the measurement is out of date, add the current one to `measurements` (`- {date: YYYY-MM-DD, value: N}`). An override is not honest.",
		Configurable: true,
	},
}

// ObjectiveVerdict is an objective judged from its latest measurement and
// its due date (6.2): whether that measurement meets the target, overdue
// (past its due date without a measurement meeting it), and whether its
// self-declared progress says otherwise.
type ObjectiveVerdict struct {
	ID       string  `json:"id"`
	Overdue  bool    `json:"overdue"`
	OnTarget string  `json:"on_target"`        // met, not met, not measured
	Latest   string  `json:"latest,omitempty"` // date of the measurement judged
	Value    float64 `json:"latest_value,omitempty"`
	// Contradicted is true when progress claims achieved or on_track and
	// the measurements and due date say otherwise.
	Contradicted bool `json:"progress_contradicted"`
}

// Objective returns the verdict on the objective with id.
func (r *Result) Objective(id string) (ObjectiveVerdict, bool) {
	return find(r.Objectives, id, func(v ObjectiveVerdict) string { return v.ID })
}

func (a *analyzer) judgeObjective(o *aims.Objective) ObjectiveVerdict {
	v := ObjectiveVerdict{ID: o.ID, OnTarget: "not measured"}
	// The latest measurement is the last by date; among equal dates, the
	// last written.
	var last *aims.Measurement
	for i := range o.Measurements {
		if m := &o.Measurements[i]; last == nil || m.Date >= last.Date {
			last = m
		}
	}
	if last != nil {
		v.Latest, v.Value, v.OnTarget = last.Date, last.Value, "not met"
		met := last.Value <= o.Target.Value
		if o.Target.Direction == "at_least" {
			met = last.Value >= o.Target.Value
		}
		if met {
			v.OnTarget = "met"
		}
	}
	v.Overdue = v.OnTarget != "met" && a.past(o.Due)
	v.Contradicted = o.Progress == "achieved" && v.OnTarget != "met" || o.Progress == "on_track" && v.Overdue
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
			a.report(objectiveRule.ObjectiveOverdue, pos(o.Doc, "due"), "objective %s was due on %s and %s", o.ID, o.Due, a.measured(o, v))
		}
		if v.Contradicted {
			due := ""
			if v.Overdue {
				due = "it was due on " + o.Due + " and "
			}
			a.report(objectiveRule.ProgressContradicted, pos(o.Doc, "progress"), "objective %s says progress %s, but %s%s", o.ID, o.Progress, due, a.measured(o, v))
		}
		if len(o.Measurements) == 0 {
			a.report(objectiveRule.ObjectiveNeverMeasured, pos(o.Doc), "objective %s has never been measured", o.ID)
		}
	}
}

// measured says what the latest measurement of an objective shows against
// its target.
func (a *analyzer) measured(o *aims.Objective, v ObjectiveVerdict) string {
	if v.OnTarget == "not measured" {
		return "it has never been measured"
	}
	cmp := "at most"
	if o.Target.Direction == "at_least" {
		cmp = "at least"
	}
	verb := "misses"
	if v.OnTarget == "met" {
		verb = "meets"
	}
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	return fmt.Sprintf("its latest measurement, %s on %s, %s the target of %s %s", num(v.Value), v.Latest, verb, cmp, num(o.Target.Value))
}
