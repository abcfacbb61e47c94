package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/gap"
)

// ---- management reviews ----

type reviewView struct {
	Link      link
	ID        string
	Date      string
	Planned   bool
	Chair     string
	Attendees int
	Inputs    string
	Missing   string
	Decisions []string
	Actions   []actionView
	Minutes   link
}

type actionView struct {
	Action, Owner, Due, State, Completed string
	Overdue                              bool
}

func (b *builder) reviews() []reviewView {
	rs := slices.Clone(b.m.Reviews)
	slices.SortStableFunc(rs, func(x, y *aims.ManagementReview) int {
		return cmp.Or(cmp.Compare(y.Date, x.Date), cmp.Compare(x.ID, y.ID))
	})
	var out []reviewView
	for _, r := range rs {
		rv := reviewView{Link: b.docLink(r), ID: r.ID, Date: r.Date, Chair: b.who(r.Chair), Attendees: len(r.Attendees), Decisions: r.Decisions}
		verdict, ok := b.in.Gap.Review(r.ID)
		if !ok {
			verdict.Required = len(gap.ReviewInputs())
			verdict.Missing = gap.ReviewInputs()
		}
		rv.Planned = verdict.Planned
		var missing []string
		for _, in := range verdict.Missing {
			missing = append(missing, human(in))
		}
		rv.Inputs = fmt.Sprintf("%d of %d required", verdict.Covered, verdict.Required)
		rv.Missing = strings.Join(missing, ", ")
		for i, a := range r.Actions {
			rv.Actions = append(rv.Actions, b.action(a, slices.Contains(verdict.OverdueActions, i)))
		}
		if r.Minutes != "" {
			rv.Minutes = b.refLink(r.Minutes)
		}
		out = append(out, rv)
	}
	return out
}

// action words an action; overdue is gap's verdict on it.
func (b *builder) action(a aims.Action, overdue bool) actionView {
	return actionView{Action: a.Action, Owner: b.who(a.Owner), Due: a.Due, State: human(cmp.Or(a.State, "open")), Completed: a.Completed, Overdue: overdue}
}
