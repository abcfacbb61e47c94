package report

import (
	"cmp"
	"fmt"
	"html/template"
	"path"
	"strings"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/gap"
	"github.com/aims-dev/aims/pkg/load"
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
	Detail string
}

type resultView struct {
	Type      string
	Metric    string
	Group     string
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
			sv.Checks = append(sv.Checks, checkView{Name: checkTitle(c.Name), Met: c.Met, Detail: c.Detail})
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

// dirOf is the folder of a document's file, for resolving relative links
// in its Markdown.
func dirOf(d *load.Document) string {
	if d == nil {
		return ""
	}
	return path.Dir(d.File)
}

// ---- impact assessments ----

type impactView struct {
	Link        link
	ID          string
	System      string
	Assessed    string
	Severity    string
	Approval    string
	Individuals int
	Societal    int
	Mitigations int
	Conclusion  string
}

func (b *builder) impacts() []impactView {
	var out []impactView
	for _, ia := range b.m.ImpactAssessments {
		out = append(out, impactView{Link: b.docLink(ia), ID: ia.ID, System: b.name(ia.System), Assessed: ia.Assessed,
			Severity: cmp.Or(ia.Severity, "not rated"), Approval: approval(&ia.Meta), Individuals: len(ia.Individuals),
			Societal: len(ia.Societal), Mitigations: len(ia.Mitigations), Conclusion: ia.Conclusion})
	}
	return out
}

// ---- datasets ----

type datasetView struct {
	Link               link
	ID                 string
	Source             string
	License            string
	Provenance         string
	Quality            string
	QualityFailed      bool
	Representativeness string
	PersonalData       string
	UsedBy             []string
}

func (b *builder) datasets() []datasetView {
	usedBy := map[string][]string{}
	for _, s := range b.m.Systems {
		for _, d := range s.Datasets {
			usedBy[d] = append(usedBy[d], s.Name())
		}
	}
	var out []datasetView
	for _, d := range b.m.Datasets {
		dv := datasetView{Link: b.docLink(d), ID: d.ID, License: d.Source.License, UsedBy: usedBy[d.ID]}
		dv.Source = human(d.Source.Type)
		if d.Source.Origin != "" {
			dv.Source += ": " + d.Source.Origin
		}
		dv.Provenance = "not recorded"
		if p := d.Provenance; p != nil && len(p.Lineage) > 0 {
			dv.Provenance = strings.Join(p.Lineage, " → ")
		}
		dv.Quality = "no checks recorded"
		if q := d.Quality; q != nil && len(q.Checks) > 0 {
			n := map[string]int{}
			latest := q.Checks[0]
			for _, c := range q.Checks {
				n[c.Result]++
				if c.Date >= latest.Date {
					latest = c
				}
			}
			dv.Quality = fmt.Sprintf("%d passed, %d warnings, %d failed", n["pass"], n["warning"], n["fail"])
			if latest.Result == "fail" {
				dv.QualityFailed = true
				dv.Quality += fmt.Sprintf("; latest failed: %s", latest.Check)
				if latest.Date != "" {
					dv.Quality += " (" + latest.Date + ")"
				}
			}
		}
		dv.Representativeness = "not reviewed"
		if r := d.Representativeness; r != nil {
			dv.Representativeness = "reviewed"
			if r.ReviewedOn != "" {
				dv.Representativeness += " " + r.ReviewedOn
			}
			if r.ReviewedBy != "" {
				dv.Representativeness += " by " + b.who(r.ReviewedBy)
			}
		}
		dv.PersonalData = "no"
		if d.PersonalData {
			dv.PersonalData = "yes"
			if d.LegalBasis != "" {
				dv.PersonalData += " (" + d.LegalBasis + ")"
			}
		}
		out = append(out, dv)
	}
	return out
}

// ---- suppliers ----

type supplierView struct {
	Link       link
	ID         string
	Type       string
	Provides   string
	Diligence  string
	Result     string
	NextReview string
	Overdue    bool
	Contract   string
}

func (b *builder) suppliers() []supplierView {
	var out []supplierView
	for _, s := range b.m.Suppliers {
		sv := supplierView{Link: b.docLink(s), ID: s.ID, Type: human(s.Type), Provides: strings.Join(s.Provides, "; "), Contract: s.Contract}
		sv.Diligence, sv.Result = "none", "none"
		if dd := s.DueDiligence; dd != nil {
			sv.Diligence = dd.Performed
			if dd.PerformedBy != "" {
				sv.Diligence += " by " + b.who(dd.PerformedBy)
			}
			sv.Result = human(dd.Result)
			sv.NextReview = dd.NextReview
			verdict, _ := b.in.Gap.Supplier(s.ID)
			sv.Overdue = verdict.DiligenceOverdue
		}
		out = append(out, sv)
	}
	return out
}
