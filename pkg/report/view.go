package report

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/catalog"
	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/gap"
)

// view is everything the templates show: sorted, counted and worded here so
// templates only lay it out.
type view struct {
	Title      string
	Org        string
	LegalName  string
	AsOf       string
	Tool       string
	Source     sourceView
	Scopes     []scopeView
	Alert      alertView
	Summary    summaryView
	Clauses    []groupView // clauses 4-10 with their requirements
	SoA        soaView
	Risk       riskView
	Systems    []systemView
	Impacts    []impactView
	Datasets   []datasetView
	Suppliers  []supplierView
	Objectives []objectiveView
	Evidence   evidenceView
	Audits     []auditView
	Reviews    []reviewView
	NCs        ncsView
	Findings   findingsView
	Overrides  []overrideView
	Docs       docsView
	Policies   []policyView
}

// link is text that may link somewhere; Href is "" when it does not.
type link struct {
	Text string
	Href string
}

// builder carries what every section needs.
type builder struct {
	in     *Input
	m      *aims.Model
	opts   Options
	status map[string]gap.Requirement
}

func build(in *Input, opts Options) *view {
	b := &builder{in: in, m: in.Model, opts: opts, status: map[string]gap.Requirement{}}
	asOf := cmp.Or(in.AsOf, in.Gap.AsOf)
	for _, r := range in.Gap.Requirements {
		b.status[r.ID] = r
	}
	v := &view{AsOf: asOf, Tool: cmp.Or(in.Tool, "dev")}
	v.Org = b.m.Organization()
	if b.m.Manifest != nil {
		v.LegalName = b.m.Manifest.Organization.LegalName
		if v.LegalName == v.Org {
			v.LegalName = ""
		}
	}
	v.Title = "ISO/IEC 42001 conformance report"
	if v.Org != "" {
		v.Title = v.Org + ": " + v.Title
	}
	v.Source = b.source()
	v.Scopes = b.scopes()
	v.Alert = b.alert()
	v.Summary = b.summary()
	v.Clauses = b.clauses()
	v.SoA = b.soa()
	v.Risk = b.risks()
	v.Systems = b.systems()
	v.Impacts = b.impacts()
	v.Datasets = b.datasets()
	v.Suppliers = b.suppliers()
	v.Objectives = b.objectives()
	v.Evidence = b.evidence()
	v.Audits = b.audits()
	v.Reviews = b.reviews()
	v.NCs = b.nonconformities()
	v.Findings = b.findings()
	v.Overrides = b.overrides()
	v.Docs = b.documents()
	v.Policies = b.policies()
	return v
}

// ---- helpers ----

// human turns an enum value into words: in_progress -> in progress.
func human(s string) string { return strings.ReplaceAll(s, "_", " ") }

// who names a person or role id: the person's name or the role's title,
// else the id as written.
func (b *builder) who(id string) string {
	switch d := b.m.ByID[id].(type) {
	case *aims.Person:
		if d.Name != "" {
			return d.Name
		}
	case *aims.Role:
		if d.Title != "" {
			return d.Title
		}
	}
	return id
}

// whoList names several people or roles.
func (b *builder) whoList(ids []string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = b.who(id)
	}
	return strings.Join(out, ", ")
}

// fileLink links a slash path relative to the AIMS root.
func (b *builder) fileLink(text, file string) link {
	if file == "" {
		return link{Text: text}
	}
	return link{Text: text, Href: b.href(file)}
}

// href is the link to a file of the AIMS from where the report is read.
func (b *builder) href(file string) string {
	file = strings.TrimPrefix(file, "./")
	if b.opts.LinkBase == "" || b.opts.LinkBase == "." {
		return file
	}
	return path.Join(b.opts.LinkBase, file)
}

// lineLink links a line of a YAML file: GitHub and GitLab scroll to #L12,
// a browser opening the file from disk ignores it. Markdown files are shown
// rendered, where line anchors mean nothing.
func (b *builder) lineLink(text, file string, line int) link {
	l := b.fileLink(text, file)
	if ext := path.Ext(file); line > 1 && l.Href != "" && (ext == ".yaml" || ext == ".yml") {
		l.Href += "#L" + strconv.Itoa(line)
	}
	return l
}

// docTitle is what a document is called: a person's name, else its title,
// else its id.
func docTitle(d aims.Doc) string {
	if p, ok := d.(*aims.Person); ok && p.Name != "" {
		return p.Name
	}
	return d.Header().Name()
}

// docLink links a document by its title to where it starts.
func (b *builder) docLink(d aims.Doc) link {
	m := d.Header()
	if m.Doc == nil {
		return link{Text: docTitle(d)}
	}
	return b.lineLink(docTitle(d), m.Doc.File, docLine(m))
}

// docLine is the first line of a document after the first one in its file
// (the first one needs no anchor).
func docLine(m *aims.Meta) int {
	if m.Doc == nil || m.Doc.Index == 0 {
		return 0
	}
	return m.Doc.Start().Line
}

// evidenceLink links evidence to what it points at: its file or URL.
func (b *builder) evidenceLink(e *aims.Evidence) link {
	switch {
	case e.Path != "":
		return b.fileLink(e.Name(), e.Path)
	case e.URL != "":
		if _, ok := safeURL(e.URL); ok {
			return link{Text: e.Name(), Href: e.URL}
		}
	}
	return link{Text: e.Name()}
}

// refLink links an id to the document that defines it.
func (b *builder) refLink(id string) link {
	switch d := b.m.ByID[id].(type) {
	case nil:
		return link{Text: id}
	case *aims.Evidence:
		return b.evidenceLink(d)
	default:
		return b.docLink(d)
	}
}

func (b *builder) date(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

// num formats a measured value without trailing zeros.
func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func pct(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) + "%" }

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

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

// ---- errors near the top ----

type alertView struct {
	Errors   int
	Warnings int
	Shown    []findingView
	More     int
}

const alertMax = 12

func (b *builder) alert() alertView {
	a := alertView{Errors: b.in.Findings.Count(diag.Error), Warnings: b.in.Findings.Count(diag.Warning)}
	for _, d := range b.in.Findings {
		if d.Severity < diag.Error {
			continue
		}
		if len(a.Shown) == alertMax {
			a.More++
			continue
		}
		a.Shown = append(a.Shown, b.finding(d))
	}
	return a
}

// ---- executive summary ----

// Counts tallies the statuses of a group of requirements, with the
// coverage bar that draws them.
type Counts struct {
	Total, Met, Partial, Missing, Excluded int
	Score                                  string
	Bar                                    []barSeg // widths for the coverage bar, out of 100
	Label                                  string   // the bar in words, for screen readers
}

type barSeg struct {
	Status string
	X, W   float64
}

func tally(reqs []gap.Requirement) Counts {
	var c Counts
	for _, r := range reqs {
		c.Total++
		switch r.Status {
		case gap.Met:
			c.Met++
		case gap.Partial:
			c.Partial++
		case gap.Missing:
			c.Missing++
		case gap.Excluded:
			c.Excluded++
		}
	}
	c.Score = pct(gap.Score(c.Met, c.Partial, c.Total-c.Excluded))
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
	sv := supportView{Kind: s.Kind, ID: s.ID, Valid: s.Valid, Note: s.Note, Link: link{Text: s.Title}}
	if e, ok := b.m.ByID[s.ID].(*aims.Evidence); ok && s.Kind == "Evidence" {
		sv.Link = b.evidenceLink(e)
	} else if s.File != "" {
		sv.Link = b.lineLink(s.Title, s.File, s.Line)
	}
	return sv
}

// ---- findings ----

type findingView struct {
	Severity string
	Code     string
	Pos      string
	Href     string
	Msg      string
	Refs     string
}

func (b *builder) finding(d diag.Diagnostic) findingView {
	f := findingView{Severity: d.Severity.String(), Code: d.Code, Pos: d.Pos.String(), Msg: d.Msg, Refs: strings.Join(d.Refs, ", ")}
	if len(d.Related) > 0 {
		var rel []string
		for _, r := range d.Related {
			rel = append(rel, r.String())
		}
		f.Msg += " (also at " + strings.Join(rel, ", ") + ")"
	}
	if d.Pos.File != "" {
		f.Href = b.lineLink("", d.Pos.File, d.Pos.Line).Href
	}
	return f
}

type findingsView struct {
	Errors, Warnings, Infos int
	List                    []findingView
}

func (b *builder) findings() findingsView {
	l := slices.Clone(b.in.Findings)
	// Worst first; within a severity, in file order.
	slices.SortStableFunc(l, func(x, y diag.Diagnostic) int { return cmp.Compare(y.Severity, x.Severity) })
	fv := findingsView{Errors: l.Count(diag.Error), Warnings: l.Count(diag.Warning), Infos: l.Count(diag.Info)}
	for _, d := range l {
		fv.List = append(fv.List, b.finding(d))
	}
	return fv
}

type overrideView struct {
	Rule, Title, Default, Severity, Reason, Pos, Href string
}

func (b *builder) overrides() []overrideView {
	var out []overrideView
	for _, o := range b.in.Gap.Overrides {
		ov := overrideView{Rule: o.Rule, Severity: o.Severity, Reason: o.Reason, Pos: o.Pos.String()}
		if r, ok := gap.LookupRule(o.Rule); ok {
			ov.Title = r.Title
			ov.Default = r.Severity.String()
		}
		if o.Pos.File != "" {
			ov.Href = b.lineLink("", o.Pos.File, o.Pos.Line).Href
		}
		out = append(out, ov)
	}
	slices.SortStableFunc(out, func(x, y overrideView) int { return cmp.Compare(x.Rule, y.Rule) })
	return out
}
