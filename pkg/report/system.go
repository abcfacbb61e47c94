package report

import (
	"cmp"
	"html/template"
	"strings"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/gap"
)

// ---- AI systems ----

type systemView struct {
	ID, Anchor  string
	Link        link
	Tier        string
	EUClass     string
	Stage       string
	Owner       string
	HighRisk    bool
	Purpose     string
	DescHTML    template.HTML
	Description string
	Oversight   string
	ChecksMet   int
	ChecksTotal int
	Checks      []checkView
	Results     []resultView
	Breaches    int
	Datasets    []link
	Suppliers   []link
}

type checkView struct {
	Name   string
	Met    bool
	Detail string // "—" when there is none
}

type resultView struct {
	Type      string
	Metric    string
	Group     string // "—" for the whole population
	Value     string
	Threshold string // "≤ 0.05"
	Breached  bool
	Tracked   bool
	Verdict   string
	Measured  string
	Evidence  link
}

func (b *builder) systems() []systemView {
	var out []systemView
	for _, s := range b.in.Gap.Systems {
		sv := systemView{ID: s.ID, Anchor: anchor("sys", s.ID), Link: link{Text: s.Title}, Tier: s.Tier,
			EUClass: human(cmp.Or(s.EUClass, "not classified")), Stage: human(s.Stage), Owner: b.who(s.Owner), HighRisk: s.HighRisk}
		if d, ok := b.m.ByID[s.ID].(*aims.AISystem); ok {
			sv.Link = b.docLink(d)
			sv.Purpose = d.Purpose
			sv.Description = d.Description
			if d.Description != "" {
				sv.DescHTML = prose(d.Description, proseOptions{headingBase: 4, dir: dirOf(d.Doc), base: b.opts.LinkBase})
			}
			if h := d.HumanOversight; h != nil {
				sv.Oversight = human(h.Mode)
			}
			for _, id := range d.Datasets {
				sv.Datasets = append(sv.Datasets, b.refLink(id))
			}
			for _, id := range d.Suppliers {
				sv.Suppliers = append(sv.Suppliers, b.refLink(id))
			}
		}
		for _, c := range s.Checks {
			sv.ChecksTotal++
			if c.Met {
				sv.ChecksMet++
			}
			sv.Checks = append(sv.Checks, checkView{Name: checkTitle(c.Name), Met: c.Met, Detail: orDash(c.Detail)})
		}
		for _, r := range s.Results {
			sv.Results = append(sv.Results, b.result(r))
			if r.Breached {
				sv.Breaches++
			}
		}
		out = append(out, sv)
	}
	return out
}

// checkTitle names a tier check, including the ones gap has no title for.
func checkTitle(name string) string {
	t := gap.CheckTitle(name)
	if t == name && t != "" {
		t = strings.ToUpper(t[:1]) + human(t[1:])
	}
	return t
}

func (b *builder) result(r gap.MetricCheck) resultView {
	rv := resultView{Type: r.Type, Metric: r.Metric, Value: num(r.Value), Measured: r.Measured, Breached: r.Breached, Tracked: r.Tracked}
	rv.Group = r.Attribute + r.Group
	if r.Attribute != "" && r.Group != "" {
		rv.Group = r.Attribute + " = " + r.Group
	}
	rv.Group = orDash(rv.Group)
	op := "≤"
	if r.Direction == "at_least" {
		op = "≥"
	}
	rv.Threshold = op + " " + num(r.Threshold)
	switch {
	case !r.Breached:
		rv.Verdict = "within threshold"
	case r.Tracked:
		rv.Verdict = "breached, remediation tracked"
	default:
		rv.Verdict = "breached"
	}
	rv.Evidence = b.refLink(r.Evidence)
	return rv
}
