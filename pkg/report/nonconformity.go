package report

import (
	"cmp"
	"fmt"
	"html/template"
	"slices"
	"strings"
)

// ---- nonconformities ----

type ncsView struct {
	Rows    []ncView
	Open    int
	Overdue int
}

type ncView struct {
	ID, Anchor    string
	Link          link
	Source        string
	Severity      string
	Detected      string
	Due           string
	Open          bool
	Overdue       bool
	State         string
	ClosedOn      string
	Requirements  string
	Systems       string
	Correction    string
	RootCause     string
	Actions       []actionView
	Effectiveness string
	DescHTML      template.HTML
}

func (b *builder) nonconformities() ncsView {
	var v ncsView
	for _, n := range b.m.Nonconformities {
		nv := ncView{ID: n.ID, Anchor: anchor("nc", n.ID), Link: b.docLink(n), Source: human(n.Source), Severity: cmp.Or(n.Severity, "not rated"),
			Detected: n.Detected, Due: n.Due, Open: n.Open(), State: human(n.State), ClosedOn: n.ClosedOn,
			Requirements: strings.Join(n.Requirements, ", "), Correction: n.Correction, RootCause: n.RootCause}
		var sys []string
		for _, s := range n.Systems {
			sys = append(sys, b.name(s))
		}
		nv.Systems = strings.Join(sys, ", ")
		verdict, _ := b.in.Gap.Nonconformity(n.ID)
		nv.Overdue = verdict.Overdue()
		if !nv.Open && verdict.Closure != "" && verdict.Closure != "effective" {
			nv.State += " (closure does not hold: " + verdict.Closure + ")"
		}
		for i, a := range n.CorrectiveActions {
			nv.Actions = append(nv.Actions, b.action(a, slices.Contains(verdict.OverdueActions, i)))
		}
		switch e := n.Effectiveness; {
		case e != nil:
			word := "not effective"
			if e.Effective {
				word = "effective"
			}
			nv.Effectiveness = fmt.Sprintf("%s (reviewed %s)", word, e.ReviewedOn)
			if e.ReviewedBy != "" {
				nv.Effectiveness = fmt.Sprintf("%s (reviewed %s by %s)", word, e.ReviewedOn, b.who(e.ReviewedBy))
			}
		case !nv.Open:
			nv.Effectiveness = "not reviewed"
		default:
			nv.Effectiveness = "pending"
		}
		if nv.Open {
			v.Open++
			if nv.Overdue {
				v.Overdue++
			}
		}
		v.Rows = append(v.Rows, nv)
	}
	// Open first, overdue first among them; then by due date and id.
	rank := func(n ncView) int {
		switch {
		case n.Open && n.Overdue:
			return 0
		case n.Open:
			return 1
		}
		return 2
	}
	slices.SortStableFunc(v.Rows, func(x, y ncView) int {
		return cmp.Or(cmp.Compare(rank(x), rank(y)), cmp.Compare(x.Due, y.Due), cmp.Compare(x.ID, y.ID))
	})
	return v
}
