package report

import (
	"cmp"
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/gap"
	"github.com/aims-dev/aims/pkg/load"
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
	Frameworks []frameworkView // the other frameworks the manifest lists
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
	hrefs  map[string]string // href by file: the same files are linked over and over
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
	v.Frameworks = b.frameworks()
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
	h, ok := b.hrefs[file]
	if !ok {
		h = path.Join(b.opts.LinkBase, file)
		if b.hrefs == nil {
			b.hrefs = map[string]string{}
		}
		b.hrefs[file] = h
	}
	return h
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

// dirOf is the folder of a document's file, for resolving relative links
// in its Markdown.
func dirOf(d *load.Document) string {
	if d == nil {
		return ""
	}
	return path.Dir(d.File)
}
