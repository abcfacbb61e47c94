package report

import (
	"cmp"
	"slices"

	"github.com/aims-dev/aims/pkg/aims"
)

// ---- document control ----

type docsView struct {
	Known        bool // history from git is available
	Rows         []docRow
	ChangedAfter int
}

// docRow is one document. Its dates, version, status and approver are
// display strings, "—" when not recorded: worded here rather than by a
// template function per cell, which at 10,000 documents cost more than the
// rest of the row.
type docRow struct {
	File          link   // the document's title, linked to its file
	Path          string // the file
	Kind          string
	ID            string
	Title         string
	Version       string
	Status        string
	ApprovedBy    string
	ApprovedOn    string
	NextReview    string
	ReviewOverdue bool
	LastChanged   string
	Changed       bool // changed after approval
	Commits       []Commit
	More          int
}

// maxCommits is how much history each document shows.
const maxCommits = 5

func (b *builder) documents() docsView {
	v := docsView{Known: b.in.Documents != nil}
	if !v.Known {
		for _, d := range b.m.All {
			m := d.Header()
			if m.Doc == nil || m.Kind == "Evidence" {
				continue
			}
			v.Rows = append(v.Rows, b.docRow(d).dashed())
		}
		return v
	}
	docs := slices.Clone(b.in.Documents)
	v.Rows = make([]docRow, 0, len(docs))
	slices.SortStableFunc(docs, func(x, y DocControl) int { return cmp.Or(cmp.Compare(x.File, y.File), cmp.Compare(x.ID, y.ID)) })
	for _, d := range docs {
		r := docRow{File: b.fileLink(cmp.Or(d.Title, d.ID, d.File), d.File), Path: d.File, Kind: d.Kind, ID: d.ID, Title: d.Title, Version: d.Version,
			ApprovedBy: b.who(d.ApprovedBy), ApprovedOn: d.ApprovedOn, LastChanged: d.LastChanged, Changed: d.ChangedAfterApproval}
		if doc, ok := b.m.ByID[d.ID]; ok && d.ID != "" {
			m := doc.Header()
			r.Status, r.NextReview = m.Status, m.NextReview
			r.ReviewOverdue = m.Doc != nil && b.in.Gap.ReviewOverdue(m.Doc.File, m.ID)
		}
		r.Commits = d.Commits
		if len(r.Commits) > maxCommits {
			r.More = len(r.Commits) - maxCommits
			r.Commits = r.Commits[:maxCommits]
		}
		if r.Changed {
			v.ChangedAfter++
		}
		v.Rows = append(v.Rows, r.dashed())
	}
	return v
}

// dashed is r with an em dash in each empty display cell.
func (r docRow) dashed() docRow {
	for _, s := range []*string{&r.Version, &r.Status, &r.ApprovedBy, &r.ApprovedOn, &r.NextReview, &r.LastChanged} {
		*s = orDash(*s)
	}
	return r
}

func (b *builder) docRow(d aims.Doc) docRow {
	m := d.Header()
	r := docRow{File: b.docLink(d), Path: m.Doc.File, Kind: m.Kind, ID: m.ID, Title: m.Title, Version: m.Version,
		Status: m.Status, ApprovedOn: m.ApprovedOn, NextReview: m.NextReview}
	if m.ApprovedBy != "" {
		r.ApprovedBy = b.who(m.ApprovedBy)
	}
	r.ReviewOverdue = b.in.Gap.ReviewOverdue(m.Doc.File, m.ID)
	return r
}
