package report

import (
	"cmp"
	"fmt"
	"html/template"
	"slices"
	"strings"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/gap"
)

// ---- objectives ----

type objectiveView struct {
	ID, Anchor   string
	Link         link
	Metric       string
	Target       string
	Baseline     string
	Latest       string
	LatestDate   string
	OnTarget     string // met, not met, not measured
	Due          string
	Overdue      bool
	Progress     string
	Owner        string
	Measurements []measurementView
	Chart        *lineChart
	Spark        string
}

type measurementView struct {
	Date, Value, Note string
}

func (b *builder) objectives() []objectiveView {
	var out []objectiveView
	for _, o := range b.m.Objectives {
		unit := o.Target.Unit
		suffix := ""
		switch {
		case unit == "%":
			suffix = "%"
		case unit != "":
			suffix = " " + unit
		}
		op := "≤"
		if o.Target.Direction == "at_least" {
			op = "≥"
		}
		ov := objectiveView{ID: o.ID, Anchor: anchor("obj", o.ID), Link: b.docLink(o), Metric: o.Metric,
			Target: op + " " + num(o.Target.Value) + suffix, Due: o.Due, Progress: human(cmp.Or(o.Progress, "planned")), Owner: b.who(o.Owner)}
		verdict, _ := b.in.Gap.Objective(o.ID)
		ov.Overdue = verdict.Overdue
		if o.Baseline != nil {
			ov.Baseline = num(*o.Baseline) + suffix
		}
		ms := slices.Clone(o.Measurements)
		slices.SortStableFunc(ms, func(x, y aims.Measurement) int { return cmp.Compare(x.Date, y.Date) })
		var pts []point
		var vals []float64
		for _, m := range ms {
			ov.Measurements = append(ov.Measurements, measurementView{Date: m.Date, Value: num(m.Value) + suffix, Note: m.Note})
			vals = append(vals, m.Value)
			if t, ok := b.date(m.Date); ok {
				pts = append(pts, point{date: t, label: m.Date, value: m.Value})
			}
		}
		ov.OnTarget = cmp.Or(verdict.OnTarget, "not measured")
		if n := len(ms); n > 0 {
			last := ms[n-1]
			ov.Latest, ov.LatestDate = num(last.Value)+suffix, last.Date
		}
		if len(pts) == len(ms) {
			ov.Chart = newLineChart(anchor("chart", o.ID), o.Name(), pts, o.Target.Value, "target "+ov.Target, suffix)
		}
		ov.Spark = sparkline(vals)
		out = append(out, ov)
	}
	return out
}

// ---- evidence ----

type freshness struct {
	State   string // current, expiring, grace, stale, undated
	Label   string
	Expires string // last day it is current, YYYY-MM-DD
	Basis   string
}

var freshnessLabels = map[string]string{
	"current":  "current",
	"expiring": "expiring soon",
	"grace":    "stale (grace period)",
	"stale":    "stale",
	"undated":  "undated",
}

// freshness is the gap analysis' verdict on an evidence item: the report
// shows what the rules judged, never a second computation of it.
func (b *builder) freshness(e *aims.Evidence) freshness {
	st, ok := b.in.Gap.EvidenceState(e.ID)
	if !ok {
		return freshness{State: "undated", Label: "undated", Basis: "not analysed"}
	}
	return freshness{State: st.State, Label: freshnessLabels[st.State], Expires: st.Expires, Basis: st.Basis}
}

type evidenceView struct {
	Rows                                     []evidenceRow
	Current, Expiring, Grace, Stale, Undated int
	NotCounted                               int
	Window                                   int
}

type evidenceRow struct {
	ID, Anchor string
	Link       link
	Type       string
	Satisfies  []string
	Systems    []string
	Owner      string
	Collected  string
	Expires    string
	Basis      string
	Fresh      string
	FreshLabel string
	Counts     bool
	Note       string
	Source     string // "file", "url" or ""
}

func (b *builder) evidence() evidenceView {
	v := evidenceView{Window: gap.ExpiringDays}
	ev := slices.Clone(b.m.Evidence)
	slices.SortStableFunc(ev, func(x, y *aims.Evidence) int { return cmp.Compare(x.ID, y.ID) })
	for _, e := range ev {
		f := b.freshness(e)
		r := evidenceRow{ID: e.ID, Anchor: anchor("ev", e.ID), Link: b.evidenceLink(e), Type: human(cmp.Or(e.Type, "other")),
			Satisfies: e.Satisfies, Owner: b.who(e.Owner), Collected: e.Collected, Expires: f.Expires, Basis: f.Basis,
			Fresh: f.State, FreshLabel: f.Label}
		if r.Owner == "" {
			r.Owner = "none"
		}
		switch {
		case e.Path != "":
			r.Source = "file"
		case e.URL != "":
			r.Source = "url"
		}
		for _, s := range e.Systems {
			r.Systems = append(r.Systems, b.name(s))
		}
		if st, ok := b.in.Gap.EvidenceState(e.ID); ok {
			r.Counts, r.Note = st.Counts, st.Note
		} else {
			r.Note = "not analysed"
		}
		if !r.Counts {
			v.NotCounted++
		}
		switch f.State {
		case "current":
			v.Current++
		case "expiring":
			v.Expiring++
		case "grace":
			v.Grace++
		case "stale":
			v.Stale++
		default:
			v.Undated++
		}
		v.Rows = append(v.Rows, r)
	}
	return v
}

// ---- audits, reviews, nonconformities ----

type auditView struct {
	Link        link
	ID          string
	Type        string
	State       string
	Date        string
	Scope       string
	Auditor     string
	Independent string
	Findings    []auditFinding
	Summary     string
	Report      link
}

type auditFinding struct {
	ID, Type, Requirement, Description string
	NC                                 link
}

func (b *builder) audits() []auditView {
	as := slices.Clone(b.m.Audits)
	slices.SortStableFunc(as, func(x, y *aims.Audit) int { return cmp.Or(cmp.Compare(y.Date, x.Date), cmp.Compare(x.ID, y.ID)) })
	var out []auditView
	for _, a := range as {
		out = append(out, b.audit(a))
	}
	return out
}

func (b *builder) audit(a *aims.Audit) auditView {
	av := auditView{Link: b.docLink(a), ID: a.ID, Type: human(a.Type), State: human(a.State), Date: a.Date, Scope: strings.Join(a.Scope, ", "),
		Auditor: "not recorded", Independent: "not recorded"}
	if au := a.Auditor; au != nil {
		av.Auditor = au.Name
		if au.Organization != "" {
			av.Auditor += " (" + au.Organization + ")"
		}
		if au.Independent != nil {
			av.Independent = "no"
			if *au.Independent {
				av.Independent = "yes"
			}
		}
	}
	n := map[string]int{}
	for _, f := range a.Findings {
		n[f.Type]++
		af := auditFinding{ID: f.ID, Type: human(f.Type), Requirement: f.Requirement, Description: f.Description}
		if f.Nonconformity != "" {
			af.NC = link{Text: f.Nonconformity, Href: "#" + anchor("nc", f.Nonconformity)}
		}
		av.Findings = append(av.Findings, af)
	}
	var parts []string
	for _, t := range []string{"major", "minor", "observation", "opportunity"} {
		if n[t] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[t], t))
		}
	}
	av.Summary = cmp.Or(strings.Join(parts, ", "), "none")
	if a.Report != "" {
		av.Report = b.refLink(a.Report)
	}
	return av
}

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
