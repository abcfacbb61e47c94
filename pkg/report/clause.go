package report

import (
	"strings"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/catalog"
	"github.com/aims-dev/aims/pkg/gap"
)

// ---- clause by clause ----

type groupView struct {
	ID, Title, Anchor string
	Counts
	Reqs []reqView
}

type reqView struct {
	ID, Title, Anchor string
	Status            string
	Blocking          bool
	Documented        bool
	Evidence          []supportView
	Reasons           []string
}

type supportView struct {
	Link  link
	Kind  string
	ID    string
	Valid bool
	Note  string
	// Trace is what an auditor checks first: when the record was made, who
	// approved it when, and the file's digest (short; the evidence index
	// has it whole).
	Trace string
}

func (b *builder) clauses() []groupView {
	var out []groupView
	for _, g := range b.in.Catalog.Of(catalog.Group) {
		if strings.HasPrefix(g.ID, "A.") {
			continue
		}
		gv := groupView{ID: g.ID, Title: g.Title, Anchor: anchor("g", g.ID)}
		var reqs []gap.Requirement
		for _, r := range b.in.Gap.Requirements {
			if r.Parent != g.ID {
				continue
			}
			reqs = append(reqs, r)
			gv.Reqs = append(gv.Reqs, b.req(r))
		}
		gv.Counts = tally(reqs)
		out = append(out, gv)
	}
	return out
}

func (b *builder) req(r gap.Requirement) reqView {
	rv := reqView{ID: r.ID, Title: r.Title, Anchor: reqAnchor(r.ID), Status: string(r.Status), Blocking: r.Blocking,
		Documented: r.Documented, Reasons: r.Reasons}
	for _, s := range r.Evidence {
		rv.Evidence = append(rv.Evidence, b.support(s))
	}
	return rv
}

// support words one thing offered as evidence, linked to what it is.
func (b *builder) support(s gap.Support) supportView {
	sv := supportView{Kind: s.Kind, ID: s.ID, Valid: s.Valid, Note: s.Note, Link: link{Text: s.Title}, Trace: b.trace(s)}
	if e, ok := b.m.ByID[s.ID].(*aims.Evidence); ok && s.Kind == "Evidence" {
		sv.Link = b.evidenceLink(e)
	} else if s.File != "" {
		sv.Link = b.lineLink(s.Title, s.File, s.Line)
	}
	return sv
}

// trace words when a record was made, who approved it when and its digest.
func (b *builder) trace(s gap.Support) string {
	var parts []string
	if s.Date != "" {
		parts = append(parts, "dated "+s.Date)
	}
	if s.ApprovedBy != "" {
		a := "approved by " + b.who(s.ApprovedBy)
		if s.ApprovedOn != "" {
			a += " on " + s.ApprovedOn
		}
		parts = append(parts, a)
	}
	if len(s.SHA256) >= 12 {
		parts = append(parts, "sha256 "+s.SHA256[:12]+"…")
	}
	return strings.Join(parts, "; ")
}
