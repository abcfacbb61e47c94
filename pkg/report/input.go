package report

import (
	"time"

	"github.com/aims-dev/aims/pkg/workspace"
)

// SourceOf describes for the cover where the workspace was read from; dirty
// says whether the working tree had uncommitted changes (the caller asks
// git, so the report does not).
func SourceOf(s *workspace.Source, dirty bool) Source {
	if s == nil || !s.Versioned {
		return Source{}
	}
	out := Source{Versioned: true, Rev: s.Rev, Commit: s.Commit.Hash, Short: s.Commit.Short(),
		Subject: s.Commit.Subject, Dirty: dirty, Shallow: s.Shallow, Path: s.Prefix}
	if !s.Commit.When.IsZero() {
		out.Date = s.Commit.When.Format(time.DateOnly)
	}
	return out
}

// DocumentsOf is document control for the report: every document but
// evidence records, with its git history. nil (outside git) stays nil, so
// the report says that history is unknown.
func DocumentsOf(control []workspace.DocControl) []DocControl {
	if control == nil {
		return nil
	}
	out := []DocControl{}
	for _, c := range control {
		m := c.Doc.Header()
		if m.Kind == "Evidence" {
			continue
		}
		d := DocControl{File: m.Doc.File, Kind: m.Kind, ID: m.ID, Title: m.Title, Version: m.Version,
			ApprovedBy: m.ApprovedBy, ApprovedOn: m.ApprovedOn, ChangedAfterApproval: c.ChangedAfterApproval}
		for _, k := range c.Commits {
			d.Commits = append(d.Commits, Commit{Hash: k.Hash, Short: k.Short(), Author: k.Author,
				Date: k.When.Format(time.DateOnly), Subject: k.Subject})
		}
		if len(d.Commits) > 0 {
			d.LastChanged = d.Commits[0].Date
		}
		out = append(out, d)
	}
	return out
}
