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

// ---- risks ----

type riskView struct {
	Criteria  []link
	Method    string
	Threshold int // gap's acceptance threshold; 0: none
	// ThresholdFrom is where the threshold comes from, shown when no
	// criteria are listed (then it is aims.yaml's).
	ThresholdFrom string
	Scale         string // "5 x 5"
	Inherent      heatmap
	Residual      heatmap
	Bands         []band
	Rows          []riskRow
	Treatments    []treatmentRow
	Open          int
	Above         int
	Closed        int
}

type band struct{ Key, Label string }

type heatmap struct {
	ID       string
	Title    string
	Cols     []level // impact levels, low to high
	Rows     []heatRow
	Total    int
	Unscored int // risks without this score (no residual)
}

// level is a step of a risk scale: its number and its name in the criteria.
type level struct {
	N    int
	Name string
}

type heatRow struct {
	Label string
	Cells []heatCell
}

type heatCell struct {
	Count int
	Score int
	Band  string
	Label string // for screen readers
}

type riskRow struct {
	ID, Anchor   string
	Link         link
	Description  string
	DescHTML     template.HTML
	Consequences string
	Systems      []string
	SystemsText  string // Systems, comma-separated
	Source       string
	Likelihood   int
	Impact       int
	Score        int
	Above        bool
	Residual     string // "L x I = S" or "not evaluated"
	ResScore     int
	ResAbove     bool
	Treatment    string
	Owner        string
	State        string
}

type treatmentRow struct {
	Risk       link
	ID         string
	Option     string
	Controls   []link
	Plan       string // "—" when there is none, like Due
	Owner      string
	Due        string
	Overdue    bool
	Progress   string
	Acceptance string
}

func (b *builder) risks() riskView {
	v := riskView{}
	nl, ni := 0, 0
	var crit *aims.RiskCriteria
	for _, c := range b.m.RiskCriteria {
		v.Criteria = append(v.Criteria, b.docLink(c))
		if crit == nil {
			crit = c
		}
	}
	lNames, iNames := map[int]string{}, map[int]string{}
	// The scales come from the first criteria; the threshold is gap's, which
	// says which criteria (or aims.yaml) it comes from.
	th := b.in.Gap.RiskThreshold
	v.Threshold, v.ThresholdFrom = th.Value, th.Source
	if crit != nil {
		v.Method = crit.Method
		for _, l := range crit.Likelihood {
			nl = max(nl, l.Level)
			lNames[l.Level] = l.Name
		}
		for _, l := range crit.Impact {
			ni = max(ni, l.Level)
			iNames[l.Level] = l.Name
		}
	}
	if nl == 0 {
		nl = 5
	}
	if ni == 0 {
		ni = 5
	}
	// A score off the scale still has to show somewhere.
	for _, r := range b.m.Risks {
		nl, ni = max(nl, r.Likelihood), max(ni, r.Impact)
		if r.Residual != nil {
			nl, ni = max(nl, r.Residual.Likelihood), max(ni, r.Residual.Impact)
		}
	}
	v.Scale = fmt.Sprintf("%d × %d", nl, ni)
	bandOf := func(score int) string { return th.Band(score, nl*ni) }
	v.Bands = bandLegend(th, nl*ni)

	risks := slices.Clone(b.m.Risks)
	slices.SortStableFunc(risks, func(x, y *aims.Risk) int {
		return cmp.Or(cmp.Compare(y.Score(), x.Score()), cmp.Compare(x.ID, y.ID))
	})
	inh := newGrid(nl, ni)
	res := newGrid(nl, ni)
	for _, r := range risks {
		row := riskRow{ID: r.ID, Anchor: anchor("risk", r.ID), Link: b.docLink(r), Description: r.Description,
			Consequences: r.Consequences, Source: human(r.Source), Likelihood: r.Likelihood, Impact: r.Impact,
			Score: r.Score(), State: human(cmp.Or(r.State, "open")), Owner: b.who(r.Owner), ResScore: -1}
		if r.Description != "" {
			row.DescHTML = prose(r.Description, proseOptions{headingBase: 4, dir: dirOf(r.Doc), base: b.opts.LinkBase})
		}
		for _, s := range r.Systems {
			row.Systems = append(row.Systems, b.name(s))
		}
		row.SystemsText = strings.Join(row.Systems, ", ")
		verdict, _ := b.in.Gap.Risk(r.ID)
		row.Above = verdict.Above
		row.Residual = "not evaluated"
		if r.Residual != nil {
			row.ResScore = r.ResidualScore()
			row.Residual = fmt.Sprintf("%d × %d = %d", r.Residual.Likelihood, r.Residual.Impact, row.ResScore)
			row.ResAbove = verdict.ResidualAbove
		}
		row.Treatment = "none"
		if r.Treatment != nil {
			row.Treatment = human(r.Treatment.Option)
		}
		v.Rows = append(v.Rows, row)
		if r.State == "closed" {
			v.Closed++
			continue
		}
		v.Open++
		if row.Above {
			v.Above++
		}
		inh.add(r.Likelihood, r.Impact)
		if r.Residual != nil {
			res.add(r.Residual.Likelihood, r.Residual.Impact)
		} else {
			res.unscored++
		}
		if t := r.Treatment; t != nil {
			tr := treatmentRow{Risk: link{Text: r.Name(), Href: "#" + row.Anchor}, ID: r.ID, Option: human(t.Option), Plan: t.Plan,
				Owner: b.who(cmp.Or(t.Owner, r.Owner)), Due: t.Due, Progress: human(cmp.Or(t.Progress, "planned"))}
			tr.Overdue = verdict.TreatmentOverdue
			for _, c := range t.Controls {
				tr.Controls = append(tr.Controls, link{Text: c, Href: "#" + anchor("soa", c)})
			}
			if verdict.Accepted {
				tr.Acceptance = fmt.Sprintf("accepted by %s on %s", b.who(verdict.AcceptedBy), verdict.AcceptedOn)
			}
			tr.Plan, tr.Due = orDash(tr.Plan), orDash(tr.Due)
			v.Treatments = append(v.Treatments, tr)
		}
	}
	label := func(names map[int]string, n int) string {
		if s := names[n]; s != "" {
			return fmt.Sprintf("%d %s", n, s)
		}
		return fmt.Sprint(n)
	}
	v.Inherent = inh.heatmap("heat-inherent", "Inherent risk", lNames, iNames, label, bandOf)
	v.Residual = res.heatmap("heat-residual", "Residual risk", lNames, iNames, label, bandOf)
	return v
}

// bandLegend words gap's bands (gap.Threshold.Band) for the heat maps.
func bandLegend(th gap.Threshold, maxScore int) []band {
	lo, hi := th.Bounds(maxScore)
	if th.Value <= 0 {
		return []band{
			{"low", fmt.Sprintf("score %d or less: low (no acceptance threshold is set)", lo)},
			{"medium", fmt.Sprintf("score %d to %d: medium", lo+1, hi)},
			{"high", fmt.Sprintf("score above %d: high", hi)},
		}
	}
	return []band{
		{"low", fmt.Sprintf("score %d or less: within the acceptance threshold", lo)},
		{"medium", fmt.Sprintf("score %d to %d: above the threshold", lo+1, hi)},
		{"high", fmt.Sprintf("score above %d: high, more than twice the threshold", hi)},
	}
}

type grid struct {
	nl, ni   int
	cells    [][]int // [likelihood-1][impact-1]
	total    int
	unscored int
}

func newGrid(nl, ni int) *grid {
	g := &grid{nl: nl, ni: ni, cells: make([][]int, nl)}
	for i := range g.cells {
		g.cells[i] = make([]int, ni)
	}
	return g
}

func (g *grid) add(l, i int) {
	if l < 1 || i < 1 || l > g.nl || i > g.ni {
		g.unscored++
		return
	}
	g.cells[l-1][i-1]++
	g.total++
}

func (g *grid) heatmap(id, title string, lNames, iNames map[int]string, label func(map[int]string, int) string, bandOf func(int) string) heatmap {
	h := heatmap{ID: id, Title: title, Total: g.total, Unscored: g.unscored}
	for i := 1; i <= g.ni; i++ {
		h.Cols = append(h.Cols, level{N: i, Name: iNames[i]})
	}
	for l := g.nl; l >= 1; l-- {
		row := heatRow{Label: label(lNames, l)}
		for i := 1; i <= g.ni; i++ {
			n := g.cells[l-1][i-1]
			c := heatCell{Count: n, Score: l * i, Band: bandOf(l * i)}
			c.Label = fmt.Sprintf("likelihood %d, impact %d, score %d: %s", l, i, l*i, plural(n, "risk", "risks"))
			row.Cells = append(row.Cells, c)
		}
		h.Rows = append(h.Rows, row)
	}
	return h
}
