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
