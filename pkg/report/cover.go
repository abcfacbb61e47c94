package report

import (
	"cmp"

	"github.com/aims-dev/aims/pkg/aims"
)

// ---- cover ----

type sourceView struct {
	Versioned bool
	Commit    string // short hash, or full when no short one
	Full      string
	Date      string
	Subject   string
	Rev       string
	Dirty     bool
	Shallow   bool
	Path      string
	Known     bool // the caller told us where the AIMS came from
}

func (b *builder) source() sourceView {
	s := b.in.Source
	return sourceView{Versioned: s.Versioned, Commit: cmp.Or(s.Short, s.Commit), Full: s.Commit, Date: s.Date,
		Subject: s.Subject, Rev: s.Rev, Dirty: s.Dirty, Shallow: s.Shallow, Path: s.Path, Known: s != Source{}}
}

type scopeView struct {
	Title      link
	Summary    string
	Boundaries string
	Included   []string
	Excluded   []string
	Approved   string
}

func (b *builder) scopes() []scopeView {
	var out []scopeView
	for _, s := range b.m.Scopes {
		sv := scopeView{Title: b.docLink(s), Summary: s.Summary, Boundaries: s.Boundaries}
		for _, id := range s.Systems.Included {
			sv.Included = append(sv.Included, b.name(id))
		}
		for _, n := range s.Systems.Excluded {
			sv.Excluded = append(sv.Excluded, n.Name+": "+n.Justification)
		}
		sv.Approved = approval(&s.Meta)
		out = append(out, sv)
	}
	return out
}

// name is a document's title by id, else the id.
func (b *builder) name(id string) string {
	if d, ok := b.m.ByID[id]; ok {
		return d.Header().Name()
	}
	return id
}

// approval words a document's approval state.
func approval(m *aims.Meta) string {
	switch {
	case m.ApprovedBy != "" && m.ApprovedOn != "":
		return "approved " + m.ApprovedOn
	case m.Status != "":
		return m.Status
	}
	return "not approved"
}
