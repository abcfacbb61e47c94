package report

import (
	"cmp"
	"slices"
	"strings"

	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/gap"
)

// ---- errors near the top ----

type alertView struct {
	Errors   int
	Warnings int
	Shown    []findingView
	More     int
}

const alertMax = 12

func (b *builder) alert() alertView {
	a := alertView{Errors: b.in.Findings.Count(diag.Error), Warnings: b.in.Findings.Count(diag.Warning)}
	for _, d := range b.in.Findings {
		if d.Severity < diag.Error {
			continue
		}
		if len(a.Shown) == alertMax {
			a.More++
			continue
		}
		a.Shown = append(a.Shown, b.finding(d))
	}
	return a
}

// ---- findings ----

type findingView struct {
	Severity string
	Code     string
	Pos      string
	Href     string
	Msg      string
	Refs     string
}

func (b *builder) finding(d diag.Diagnostic) findingView {
	f := findingView{Severity: d.Severity.String(), Code: d.Code, Pos: d.Pos.String(), Msg: d.Msg, Refs: strings.Join(d.Refs, ", ")}
	if len(d.Related) > 0 {
		var rel []string
		for _, r := range d.Related {
			rel = append(rel, r.String())
		}
		f.Msg += " (also at " + strings.Join(rel, ", ") + ")"
	}
	if d.Pos.File != "" {
		f.Href = b.lineLink("", d.Pos.File, d.Pos.Line).Href
	}
	return f
}

type findingsView struct {
	Errors, Warnings, Infos int
	List                    []findingView
}

func (b *builder) findings() findingsView {
	l := slices.Clone(b.in.Findings)
	// Worst first; within a severity, in file order.
	slices.SortStableFunc(l, func(x, y diag.Diagnostic) int { return cmp.Compare(y.Severity, x.Severity) })
	fv := findingsView{Errors: l.Count(diag.Error), Warnings: l.Count(diag.Warning), Infos: l.Count(diag.Info)}
	for _, d := range l {
		fv.List = append(fv.List, b.finding(d))
	}
	return fv
}

type overrideView struct {
	Rule, Title, Default, Severity, Reason, Pos, Href string
}

func (b *builder) overrides() []overrideView {
	var out []overrideView
	for _, o := range b.in.Gap.Overrides {
		ov := overrideView{Rule: o.Rule, Severity: o.Severity, Reason: o.Reason, Pos: o.Pos.String()}
		if r, ok := gap.LookupRule(o.Rule); ok {
			ov.Title = r.Title
			ov.Default = r.Severity.String()
		}
		if o.Pos.File != "" {
			ov.Href = b.lineLink("", o.Pos.File, o.Pos.Line).Href
		}
		out = append(out, ov)
	}
	slices.SortStableFunc(out, func(x, y overrideView) int { return cmp.Compare(x.Rule, y.Rule) })
	return out
}
