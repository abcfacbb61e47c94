package report

import (
	"fmt"
	"strings"
)

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
			for _, c := range q.Checks {
				n[c.Result]++
			}
			dv.Quality = fmt.Sprintf("%d passed, %d warnings, %d failed", n["pass"], n["warning"], n["fail"])
			if v, ok := b.in.Gap.Dataset(d.ID); ok && len(v.Failed) > 0 {
				dv.QualityFailed = true
				var failed []string
				for _, f := range v.Failed {
					s := f.Check
					if f.Date != "" {
						s += " (" + f.Date + ")"
					}
					failed = append(failed, s)
				}
				dv.Quality += "; latest run failed: " + strings.Join(failed, ", ")
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
