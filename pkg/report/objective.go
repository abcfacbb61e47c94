package report

import (
	"cmp"
	"slices"

	"github.com/aims-dev/aims/pkg/aims"
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
		if verdict.Contradicted {
			ov.Progress += " (contradicted by its measurements)"
		}
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
