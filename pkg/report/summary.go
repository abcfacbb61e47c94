package report

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/aims-dev/aims/pkg/catalog"
	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/gap"
)

// ---- executive summary ----

// Counts tallies the statuses of a group of requirements, with the
// coverage bar that draws them.
type Counts struct {
	gap.Counts
	WithFindings int // applicable requirements with open findings
	Score        string
	Bar          []barSeg // widths for the coverage bar, out of 100
	Label        string   // the bar in words, for screen readers
}

type barSeg struct {
	Status string
	X, W   float64
}

func tally(reqs []gap.Requirement) Counts {
	var c Counts
	for _, r := range reqs {
		c.Add(r.Status)
		if r.Status != gap.Excluded && r.Findings > 0 {
			c.WithFindings++
		}
	}
	c.Score = pct(gap.Score(c.Met, c.Total-c.Excluded))
	x := 0.0
	for _, s := range []struct {
		st string
		n  int
	}{{"met", c.Met}, {"partial", c.Partial}, {"missing", c.Missing}, {"excluded", c.Excluded}} {
		if s.n == 0 || c.Total == 0 {
			continue
		}
		w := float64(s.n) * 100 / float64(c.Total)
		c.Bar = append(c.Bar, barSeg{Status: s.st, X: round2(x), W: round2(w)})
		x += w
	}
	c.Label = fmt.Sprintf("%d met, %d partial, %d missing, %d excluded of %d", c.Met, c.Partial, c.Missing, c.Excluded, c.Total)
	return c
}

func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }

type groupCount struct {
	ID     string
	Title  string
	Anchor string
	Counts
}

type summaryView struct {
	All       Counts
	Blocking  int
	Clauses   []groupCount
	Areas     []groupCount
	BlockReqs []reqRef // requirements that block certification
	Roadmap   []phaseView
	Errors    int
}

type reqRef struct {
	ID, Title, Status, Anchor string
}

type phaseView struct {
	Title string
	Items []roadmapItem
}

type roadmapItem struct {
	N      int
	ID     string
	Title  string
	Status string
	Anchor string
	Action string
	More   int
}

func (b *builder) summary() summaryView {
	res := b.in.Gap
	s := summaryView{All: tally(res.Requirements), Blocking: res.Summary.Blocking, Errors: b.in.Findings.Count(diag.Error)}
	for _, g := range b.in.Catalog.Of(catalog.Group) {
		var reqs []gap.Requirement
		for _, r := range res.Requirements {
			if r.Parent == g.ID {
				reqs = append(reqs, r)
			}
		}
		gc := groupCount{ID: g.ID, Title: g.Title, Anchor: anchor("g", g.ID), Counts: tally(reqs)}
		if strings.HasPrefix(g.ID, "A.") {
			s.Areas = append(s.Areas, gc)
		} else {
			s.Clauses = append(s.Clauses, gc)
		}
	}
	for _, r := range res.Requirements {
		if r.Blocking {
			s.BlockReqs = append(s.BlockReqs, reqRef{ID: r.ID, Title: r.Title, Status: string(r.Status), Anchor: reqAnchor(r.ID)})
		}
	}
	n := 0
	for _, p := range res.Roadmap {
		pv := phaseView{Title: cmp.Or(p.Title, gap.PhaseTitle(p.Phase), p.Phase)}
		for _, it := range p.Items {
			n++
			ri := roadmapItem{N: n, ID: it.ID, Title: it.Title, Status: string(it.Status), Anchor: reqAnchor(it.ID)}
			if len(it.Actions) > 0 {
				ri.Action = it.Actions[0]
				ri.More = len(it.Actions) - 1
			}
			pv.Items = append(pv.Items, ri)
		}
		s.Roadmap = append(s.Roadmap, pv)
	}
	return s
}

// anchor is an HTML id: prefix and id with dots as dashes.
func anchor(prefix, id string) string {
	var sb strings.Builder
	sb.WriteString(prefix)
	sb.WriteByte('-')
	for _, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			sb.WriteRune(r)
		default:
			sb.WriteByte('-')
		}
	}
	return sb.String()
}

// reqAnchor is where a requirement is shown: a clause in section 3, a
// control in the Statement of Applicability.
func reqAnchor(id string) string {
	if strings.HasPrefix(id, "A.") {
		return anchor("soa", id)
	}
	return anchor("req", id)
}
