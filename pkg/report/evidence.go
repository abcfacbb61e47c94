package report

import (
	"cmp"
	htmltemplate "html/template"
	"slices"
	"strings"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/gap"
)

// ---- evidence ----

type freshness struct {
	State   string // current, expiring, grace, stale, undated, future
	Label   string
	Expires string // last day it is current, YYYY-MM-DD
	Basis   string
}

var freshnessLabels = map[string]string{
	"current":  "current",
	"expiring": "expiring soon",
	"grace":    "stale (grace period)",
	"stale":    "stale",
	"undated":  "undated",
	"future":   "dated after today",
}

// freshness is the gap analysis' verdict on an evidence item: the report
// shows what the rules judged, never a second computation of it.
func (b *builder) freshness(e *aims.Evidence) freshness {
	st, ok := b.in.Gap.EvidenceState(e.ID)
	if !ok {
		return freshness{State: "undated", Label: "undated", Basis: "not analysed"}
	}
	return freshness{State: st.State, Label: freshnessLabels[st.State], Expires: st.Expires, Basis: st.Basis}
}

type evidenceView struct {
	Rows                                     []evidenceRow
	Current, Expiring, Grace, Stale, Undated int
	Future                                   int // collected after today
	NotCounted                               int
	Window                                   int
	// Broad are the ids of evidence claiming more than MaxClaims
	// requirements; Never those declared never to expire.
	Broad, Never []string
	MaxClaims    int
}

type evidenceRow struct {
	ID, Anchor string
	Link       link
	Type       string
	Satisfies  []string
	Systems    []string
	Owner      string
	Collected  string // "—" when not recorded
	Expires    string // "—" when it does not expire
	Basis      string
	Fresh      string
	FreshLabel string
	// Worded here, not by template functions: at 10,000 documents a
	// function call per cell cost more than the rest of the row.
	SatisfiesText, SystemsText, FreshIcon string
	Counts                                bool
	Note                                  string
	Source                                string // "file", "url" or ""
	// SHA256 is the digest of the file as read; Declared says it matched
	// the digest the Evidence declares.
	SHA256   string
	Declared bool
	// Never is the reason given for a record that never expires.
	Never string
	Broad bool
	// Unverified is URL-only evidence with no retrieval recorded.
	Unverified bool
}

func (b *builder) evidence() evidenceView {
	v := evidenceView{Window: gap.ExpiringDays, MaxClaims: gap.MaxClaims}
	ev := slices.Clone(b.m.Evidence)
	slices.SortStableFunc(ev, func(x, y *aims.Evidence) int { return cmp.Compare(x.ID, y.ID) })
	v.Rows = make([]evidenceRow, 0, len(ev))
	for _, e := range ev {
		f := b.freshness(e)
		r := evidenceRow{ID: e.ID, Anchor: anchor("ev", e.ID), Link: b.evidenceLink(e), Type: human(cmp.Or(e.Type, "other")),
			Satisfies: e.Satisfies, Owner: b.who(e.Owner), Collected: orDash(e.Collected), Expires: orDash(f.Expires), Basis: f.Basis,
			Fresh: f.State, FreshLabel: f.Label, SatisfiesText: strings.Join(e.Satisfies, ", "), FreshIcon: icon(f.State)}
		if r.Owner == "" {
			r.Owner = "none"
		}
		switch {
		case e.Path != "":
			r.Source = "file"
		case e.URL != "":
			r.Source = "url"
		}
		if len(e.Systems) > 0 {
			r.Systems = make([]string, len(e.Systems))
			for i, s := range e.Systems {
				r.Systems[i] = b.name(s)
			}
			r.SystemsText = strings.Join(r.Systems, ", ")
		}
		if st, ok := b.in.Gap.EvidenceState(e.ID); ok {
			r.Counts, r.Note = st.Counts, st.Note
			r.SHA256, r.Declared, r.Never, r.Broad = st.SHA256, st.Declared, st.NeverExpires, st.Broad
			r.Unverified = st.Source == "url" && !st.Verified
			if r.Broad {
				v.Broad = append(v.Broad, e.ID)
			}
			if st.NeverExpires != "" {
				v.Never = append(v.Never, e.ID)
			}
		} else {
			r.Note = "not analysed"
		}
		if !r.Counts {
			v.NotCounted++
		}
		switch f.State {
		case "current":
			v.Current++
		case "expiring":
			v.Expiring++
		case "grace":
			v.Grace++
		case "stale":
			v.Stale++
		case "future":
			v.Future++
		default:
			v.Undated++
		}
		v.Rows = append(v.Rows, r)
	}
	return v
}

// evidenceRows writes the rows of the evidence index, each as the row
// template in TestEvidenceRowsAreTheTemplates writes it through
// html/template (that test holds the two to the same bytes on both
// examples and under a fuzzer). The index has a row per piece of evidence,
// 6,500 at 10,000 documents, and through the template each of a row's
// fourteen values cost an escaper call made by reflection: a fifth of the
// rendering. Every value goes through writeEscapedHTML, html/template's
// escaping for text and for quoted attribute values alike.
func (m *linkMemo) evidenceRows(rows []evidenceRow) htmltemplate.HTML {
	var b strings.Builder
	b.Grow(len(rows) * 900)
	esc := func(s string) { writeEscapedHTML(&b, s) }
	muted := func(s string) {
		b.WriteString(`<br><span class="muted">`)
		esc(s)
		b.WriteString(`</span>`)
	}
	for _, r := range rows {
		b.WriteString("\n<tr id=\"")
		esc(r.Anchor)
		b.WriteString(`"><th scope="row"><span class="rid">`)
		esc(r.ID)
		b.WriteString(`</span> `)
		b.WriteString(string(m.html(r.Link)))
		if len(r.Systems) > 0 {
			muted(r.SystemsText)
		}
		b.WriteString(`</th><td>`)
		esc(r.Type)
		b.WriteString(`</td><td>`)
		esc(r.SatisfiesText)
		b.WriteString(`</td><td>`)
		esc(r.Owner)
		b.WriteString(`</td><td class="nowrap">`)
		esc(r.Collected)
		b.WriteString(`</td><td class="nowrap">`)
		if r.Never != "" {
			b.WriteString(`never expires`)
			muted(r.Never)
		} else {
			esc(r.Expires)
			if r.Basis != "" {
				muted(r.Basis)
			}
		}
		b.WriteString(`</td><td><span class="fresh fr-`)
		esc(r.Fresh)
		b.WriteString(`"><span aria-hidden="true">`)
		esc(r.FreshIcon)
		b.WriteString(`</span> `)
		esc(r.FreshLabel)
		b.WriteString(`</span></td><td>`)
		if r.Counts {
			b.WriteString(`<span aria-hidden="true">✓</span> yes`)
		} else {
			b.WriteString(`<strong class="bad-text"><span aria-hidden="true">✗</span> no</strong>`)
		}
		if r.Note != "" {
			muted(r.Note)
		}
		b.WriteString(`</td><td>`)
		switch {
		case r.SHA256 != "":
			b.WriteString(`<code class="digest">`)
			esc(r.SHA256)
			b.WriteString(`</code>`)
			if r.Declared {
				b.WriteString(`<br><span class="muted">declared</span>`)
			}
		case r.Unverified:
			b.WriteString(`<strong class="bad-text">unverified URL</strong>`)
		default:
			b.WriteString(`—`)
		}
		b.WriteString(`</td></tr>`)
	}
	return htmltemplate.HTML(b.String())
}
