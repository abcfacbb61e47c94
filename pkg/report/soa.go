package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/catalog"
)

// ---- Statement of Applicability ----

type soaView struct {
	Docs      []link
	Areas     []soaArea
	Total     int
	Chart     barChart
	HasSoA    bool
	NotListed int
}

type soaArea struct {
	ID, Title string
	Rows      []soaRow
}

type soaRow struct {
	ID, Title, Anchor string
	Listed            bool
	Applicable        string // yes, no, not listed
	Justification     string
	Implementation    string // worded
	ImplKey           string // for styling: implemented, partial, planned, not-started, excluded, unknown, unlisted
	Owner             string
	Status            string // the gap analysis' verdict
	Risks             []link
	RiskIDs           []string
	Evidence          []evidenceRef
	Notes             string
}

type evidenceRef struct {
	Link  link
	Fresh string // current, expiring, grace, stale, undated
	Label string
	Icon  string // of Fresh
}

// implementation categories in the order the chart shows them.
var implOrder = []struct{ key, label, word string }{
	{"implemented", "Implemented", "implemented"},
	{"partial", "Partially implemented", "partially implemented"},
	{"planned", "Planned", "planned"},
	{"not-started", "Not started", "not started"},
	{"unknown", "Applicable, no status", "applicable without a status"},
	{"excluded", "Not applicable", "not applicable"},
	{"unlisted", "Not in the SoA", "not in the SoA"},
}

func (b *builder) soa() soaView {
	v := soaView{HasSoA: len(b.m.SoAs) > 0}
	for _, s := range b.m.SoAs {
		v.Docs = append(v.Docs, b.docLink(s))
	}
	rows := map[string]aims.ControlRow{}
	for _, s := range b.m.SoAs {
		for _, r := range s.Controls {
			if _, dup := rows[r.Control]; !dup {
				rows[r.Control] = r
			}
		}
	}
	// Risks whose treatment names a control, in register order.
	risksBy := map[string][]*aims.Risk{}
	for _, r := range b.m.Risks {
		if r.Treatment == nil {
			continue
		}
		for _, c := range r.Treatment.Controls {
			if !slices.Contains(risksBy[c], r) {
				risksBy[c] = append(risksBy[c], r)
			}
		}
	}
	count := map[string]int{}
	for _, g := range b.in.Catalog.Of(catalog.Group) {
		if !strings.HasPrefix(g.ID, "A.") {
			continue
		}
		area := soaArea{ID: g.ID, Title: g.Title}
		for _, c := range b.in.Catalog.Children(g.ID) {
			v.Total++
			row := soaRow{ID: c.ID, Title: c.Title, Anchor: anchor("soa", c.ID), Status: string(b.status[c.ID].Status)}
			r, listed := rows[c.ID]
			row.Listed = listed
			switch {
			case !listed:
				row.Applicable, row.ImplKey, row.Implementation = "not listed", "unlisted", "not in the SoA"
				v.NotListed++
			case !r.Applicable:
				row.Applicable, row.ImplKey, row.Implementation = "no", "excluded", "not applicable"
			default:
				row.Applicable = "yes"
				switch r.Implementation {
				case "":
					row.ImplKey, row.Implementation = "unknown", "no status"
				case "not_started":
					row.ImplKey, row.Implementation = "not-started", "not started"
				default:
					row.ImplKey, row.Implementation = r.Implementation, human(r.Implementation)
				}
			}
			count[row.ImplKey]++
			row.Justification = r.Justification
			row.Notes = r.Notes
			if r.Owner != "" {
				row.Owner = b.who(r.Owner)
			}
			for _, rk := range risksBy[c.ID] {
				row.Risks = append(row.Risks, link{Text: rk.ID, Href: "#" + anchor("risk", rk.ID)})
				row.RiskIDs = append(row.RiskIDs, rk.ID)
			}
			for _, id := range r.Evidence {
				row.Evidence = append(row.Evidence, b.evidenceRef(id))
			}
			area.Rows = append(area.Rows, row)
		}
		v.Areas = append(v.Areas, area)
	}
	var bars []bar
	for _, o := range implOrder {
		if o.key == "unlisted" && count[o.key] == 0 || o.key == "unknown" && count[o.key] == 0 {
			continue
		}
		bars = append(bars, bar{Key: o.key, Label: o.label, Word: o.word, Value: count[o.key]})
	}
	v.Chart = newBarChart("soa-chart", "Annex A controls by implementation status",
		fmt.Sprintf("Implementation status of the %d Annex A controls in the Statement of Applicability", v.Total), bars)
	return v
}

// evidenceRef links evidence by id with its freshness.
func (b *builder) evidenceRef(id string) evidenceRef {
	e, ok := b.m.ByID[id].(*aims.Evidence)
	if !ok {
		return evidenceRef{Link: link{Text: id}, Fresh: "unknown", Label: "unknown id"}
	}
	f := b.freshness(e)
	return evidenceRef{Link: b.evidenceLink(e), Fresh: f.State, Label: f.Label, Icon: icon(f.State)}
}
