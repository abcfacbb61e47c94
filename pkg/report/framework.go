package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/aims-dev/aims/pkg/catalog"
	"github.com/aims-dev/aims/pkg/gap"
)

// frameworkView is one framework the manifest lists, as gap derives it from
// the ISO/IEC 42001 requirement statuses; the report words it and decides
// nothing.
type frameworkView struct {
	ID, Name, Anchor string
	Basis            string
	Summary          string // "58 met, 14 partial, 0 missing, 0 excluded of 72 items"
	Groups           []frameworkGroup
	Systems          []frameworkSystem // the EU AI Act: per AI system
	Sources          []string          // "nist-crosswalk: ... (published)"
}

type frameworkGroup struct {
	Title string
	Rows  []frameworkRow
}

type frameworkSystem struct {
	Link                link
	ID, Class, Role     string
	Note                string
	Rows                []frameworkRow
	NoObligationsMapped bool
}

// frameworkRow is one derived item.
type frameworkRow struct {
	ID, Title string
	Status    string
	Reqs      string   // "4.1 met, 6.2 partial"
	Mapping   string   // "intersects; nist-crosswalk"
	NotMet    []string // "6.2 AI objectives (partial): reason", and failed system checks
	Evidence  []link
}

// frameworks derives a view of each framework the manifest lists besides
// ISO/IEC 42001, in the manifest's order. An unknown one is skipped: link
// reports it (AIMS-R008).
func (b *builder) frameworks() []frameworkView {
	if b.m.Manifest == nil {
		return nil
	}
	var out []frameworkView
	for _, id := range b.m.Manifest.Frameworks {
		if id == catalog.ISO42001ID {
			continue
		}
		v, err := gap.Derive(b.in.Gap, b.m, id)
		if err != nil {
			continue
		}
		cat, _ := catalog.Framework(id)
		s := v.Summary
		fv := frameworkView{ID: id, Name: v.Name, Anchor: "fw-" + id, Basis: v.Basis,
			Summary: fmt.Sprintf("%d met, %d partial, %d missing, %d excluded of %s", s.Met, s.Partial, s.Missing, s.Excluded, plural(s.Total, "item", "items"))}
		for _, it := range v.Items {
			g, _ := cat.Lookup(it.Group)
			if len(fv.Groups) == 0 || fv.Groups[len(fv.Groups)-1].Title != g.Title {
				fv.Groups = append(fv.Groups, frameworkGroup{Title: g.Title})
			}
			last := &fv.Groups[len(fv.Groups)-1]
			last.Rows = append(last.Rows, b.frameworkRow(it))
		}
		for _, sys := range v.Systems {
			fs := frameworkSystem{ID: sys.ID, Class: cmp.Or(sys.Class, "unclassified"), Role: cmp.Or(sys.Role, "not set"), Note: sys.Note,
				Link: b.refLink(sys.ID), NoObligationsMapped: len(sys.Items) == 0}
			for _, it := range sys.Items {
				fs.Rows = append(fs.Rows, b.frameworkRow(it))
			}
			fv.Systems = append(fv.Systems, fs)
		}
		for _, src := range v.Sources {
			kind := "not published"
			if src.Published {
				kind = "published"
			}
			fv.Sources = append(fv.Sources, fmt.Sprintf("%s: %s (%s)", src.ID, src.Title, kind))
		}
		out = append(out, fv)
	}
	return out
}

func (b *builder) frameworkRow(it gap.FrameworkItem) frameworkRow {
	_, id := catalog.SplitQID(it.ID)
	row := frameworkRow{ID: id, Title: it.Title, Status: string(it.Status)}
	var reqs, types, sources []string
	for _, r := range it.Requirements {
		_, rid := catalog.SplitQID(r.ID)
		reqs = append(reqs, rid+" "+string(r.Status))
		if !slices.Contains(types, string(r.Type)) {
			types = append(types, string(r.Type))
		}
		if !slices.Contains(sources, r.Source) {
			sources = append(sources, r.Source)
		}
		if slices.Contains(it.NotMet, r.ID) {
			why := fmt.Sprintf("%s %s (%s)", rid, r.Title, r.Status)
			if len(r.Reasons) > 0 {
				why += ": " + strings.Join(strings.Fields(r.Reasons[0]), " ")
			}
			row.NotMet = append(row.NotMet, why)
		}
	}
	for _, s := range it.Evidence {
		l := b.lineLink(cmp.Or(s.ID, s.Title), s.File, s.Line)
		if !slices.Contains(row.Evidence, l) {
			row.Evidence = append(row.Evidence, l)
		}
	}
	for _, c := range it.Checks {
		if !c.Met {
			row.NotMet = append(row.NotMet, fmt.Sprintf("system check %s: %s", gap.CheckTitle(c.Name), c.Detail))
		}
	}
	row.Reqs = strings.Join(reqs, ", ")
	row.Mapping = strings.Join(types, ", ") + "; " + strings.Join(sources, ", ")
	return row
}
