package report

import (
	"bytes"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	texttemplate "text/template"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/catalog"
	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/gap"
	"github.com/aims-dev/aims/pkg/registry"
	"github.com/aims-dev/aims/templates"
)

// Input is everything a report shows. Render reads it and never changes it.
type Input struct {
	Model   *aims.Model
	Catalog *catalog.Catalog
	Gap     *gap.Result
	// Findings are every finding: validation (load, schema, link) and gap
	// findings, sorted.
	Findings diag.List
	AsOf     string // YYYY-MM-DD: "today" for every date shown or judged
	Tool     string // aims version
	// Source is where the AIMS was read from; the zero value means unknown.
	Source Source
	// Documents is document control from git; nil means the history is
	// unknown and the section says so.
	Documents []DocControl
}

// Source says which revision of which repository the AIMS was read from.
type Source struct {
	Versioned bool   // the AIMS is in a git repository
	Rev       string // the revision asked for; "" = the working tree
	Commit    string // full hash of the commit read (HEAD for the working tree)
	Short     string // abbreviated hash
	Date      string // commit date, YYYY-MM-DD
	Subject   string // first line of the commit message
	Dirty     bool   // the working tree had uncommitted changes
	Shallow   bool   // the clone is shallow, so history may be cut short
	Path      string // the AIMS root inside the repository ("" = the top)
}

// DocControl is the version history of one AIMS document.
type DocControl struct {
	File, Kind, ID, Title, Version, ApprovedBy, ApprovedOn, LastChanged string
	// ChangedAfterApproval: the file changed in a commit after approved_on,
	// so the approved version is not the one in force.
	ChangedAfterApproval bool
	Commits              []Commit // newest first
}

// Commit is one change to a document.
type Commit struct {
	Hash, Short, Author, Date, Subject string
}

// Options tune rendering.
type Options struct {
	// TemplateDir, when set, holds templates that replace the embedded ones
	// of the same file name (report.md.tmpl, report.html.tmpl, style.css).
	TemplateDir string
	// LinkBase is the path from where the report is read to the AIMS root,
	// joined before evidence and document paths so relative links resolve
	// ("" when the report sits in the AIMS root).
	LinkBase string
}

// format is how one report format is rendered from its templates.
type format struct {
	// files are the templates the format reads, the first being the entry
	// point.
	files  []string
	render func(w io.Writer, names, srcs []string, v *view) error
}

var formats = registry.New("format",
	registry.Entry[format]{Name: "md", Value: format{[]string{"report.md.tmpl"}, renderMarkdown}},
	registry.Entry[format]{Name: "html", Value: format{[]string{"report.html.tmpl", "style.css"}, renderHTML}},
)

// Formats lists the valid format names, the default first.
func Formats() []string { return formats.Names() }

// FormatFor is the format asked for, else the one the output file's
// extension names (.html, .htm), else md. An unknown format is an error
// listing the valid ones.
func FormatFor(format, file string) (string, error) {
	if format == "" {
		switch strings.ToLower(filepath.Ext(file)) {
		case ".html", ".htm":
			return "html", nil
		}
		return Formats()[0], nil
	}
	_, err := formats.Get(format)
	return format, err
}

// LinkBase is the path from the folder a report is read in (absolute) to
// the AIMS root, for Options.LinkBase.
func LinkBase(from, root string) string {
	if rel, err := filepath.Rel(from, root); err == nil {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(root)
}

// Render writes the report in format md or html. If rendering fails, a
// *bytes.Buffer is left as it was and any other writer may hold part of the
// report: write a file through file.WriteFrom, which then keeps the old one.
func Render(w io.Writer, format string, in *Input, opts Options) error {
	f, err := formats.Get(format)
	if err != nil {
		return err
	}
	if in == nil || in.Model == nil || in.Catalog == nil || in.Gap == nil {
		return errors.New("report: input needs a model, a catalog and a gap result")
	}
	srcs, err := readTemplates(f.files, opts.TemplateDir)
	if err != nil {
		return err
	}
	v := build(in, opts)
	// The report streams to w as it renders: the HTML of a large AIMS is
	// tens of MB, and holding it in a buffer grown (and copied) by doubling
	// cost more than writing it. A caller's buffer is cut back on failure.
	if buf, ok := w.(*bytes.Buffer); ok {
		n := buf.Len()
		if err := f.render(buf, f.files, srcs, v); err != nil {
			buf.Truncate(n)
			return err
		}
		return nil
	}
	return f.render(w, f.files, srcs, v)
}

func renderMarkdown(w io.Writer, names, srcs []string, v *view) error {
	t := texttemplate.New(names[0]).Funcs(mdFuncs)
	if _, err := t.Parse(srcs[0]); err != nil {
		return fmt.Errorf("template %s: %w", names[0], err)
	}
	if err := t.Execute(w, v); err != nil {
		return fmt.Errorf("template %s: %w", names[0], err)
	}
	return nil
}

func renderHTML(w io.Writer, names, srcs []string, v *view) error {
	t := htmltemplate.New(names[0]).Funcs(htmlFuncs).Funcs(newLinkMemo().funcs())
	if _, err := t.Parse(srcs[0]); err != nil {
		return fmt.Errorf("template %s: %w", names[0], err)
	}
	// The stylesheet is a template of its own, so a user may replace it
	// alone; as template text it is trusted like the template itself.
	if _, err := t.New(names[1]).Parse(srcs[1]); err != nil {
		return fmt.Errorf("template %s: %w", names[1], err)
	}
	if err := t.ExecuteTemplate(w, names[0], v); err != nil {
		return fmt.Errorf("template %s: %w", names[0], err)
	}
	return nil
}

// The shipped report writes every link through linkHTML (and lists of
// them through linksHTML): a report of 10,000 documents writes 67,000
// links to 20,000 targets, and through the template each cost four
// escaper calls made by reflection, a fifth of the rendering. linkHTML
// writes a link exactly as the template
//
//	{{if .Href}}<a href="{{.Href}}">{{.Text}}</a>{{else}}{{.Text}}{{end}}
//
// would through html/template (TestLinkHTMLIsTheTemplates holds the two
// to the same bytes, with a fuzzer), once per distinct link.

// linkMemo holds the links one rendering has written.
type linkMemo struct {
	done map[link]htmltemplate.HTML
	b    strings.Builder
}

func newLinkMemo() *linkMemo { return &linkMemo{done: map[link]htmltemplate.HTML{}} }

// funcs are linkHTML, one link, and linksHTML, a list of them joined by
// commas or a dash for none (one call for a list instead of one per link).
func (m *linkMemo) funcs() htmltemplate.FuncMap {
	return htmltemplate.FuncMap{"linkHTML": m.html, "linksHTML": m.list, "evidenceRowsHTML": m.evidenceRows}
}

func (m *linkMemo) list(ls []link) htmltemplate.HTML {
	if len(ls) == 0 {
		return "—"
	}
	hs := make([]htmltemplate.HTML, len(ls))
	n := 2 * (len(ls) - 1)
	for i, l := range ls {
		hs[i] = m.html(l)
		n += len(hs[i])
	}
	var b strings.Builder
	b.Grow(n)
	for i, h := range hs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(h))
	}
	return htmltemplate.HTML(b.String())
}

func (m *linkMemo) html(l link) htmltemplate.HTML {
	if h, ok := m.done[l]; ok {
		return h
	}
	m.b.Reset()
	writeLink(&m.b, l)
	h := htmltemplate.HTML(m.b.String())
	m.done[l] = h
	return h
}

// writeLink writes l as html/template writes the link template: the href
// through its urlFilter, urlNormalizer and attrEscaper, the text through
// its htmlEscaper.
func writeLink(b *strings.Builder, l link) {
	if l.Href == "" {
		writeEscapedHTML(b, l.Text)
		return
	}
	b.WriteString(`<a href="`)
	href := l.Href
	if !templateSafeURL(href) {
		href = "#ZgotmplZ"
	}
	writeNormalizedURL(b, href)
	b.WriteString(`">`)
	writeEscapedHTML(b, l.Text)
	b.WriteString("</a>")
}

// templateSafeURL is html/template's isSafeURL: a URL with a scheme other than
// http, https or mailto is replaced.
func templateSafeURL(s string) bool {
	if protocol, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(protocol, "/") {
		return strings.EqualFold(protocol, "http") || strings.EqualFold(protocol, "https") || strings.EqualFold(protocol, "mailto")
	}
	return true
}

// writeNormalizedURL is html/template's urlNormalizer followed by its
// attrEscaper: bytes that may not stand in a URL are percent-encoded
// (lowercase hex, a valid escape kept), and of what remains & and + are
// written as entities.
func writeNormalizedURL(b *strings.Builder, s string) {
	const hex = "0123456789abcdef"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '&':
			b.WriteString("&amp;")
		case c == '+':
			b.WriteString("&#43;")
		case c == '%' && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]),
			'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			strings.IndexByte("!#$*,/:;=?@[]-._~", c) >= 0:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// writeEscapedHTML is html/template's htmlEscaper for text.
func writeEscapedHTML(b *strings.Builder, s string) {
	written := 0
	for i := 0; i < len(s); i++ {
		var repl string
		switch s[i] {
		case 0:
			repl = "\uFFFD"
		case '"':
			repl = "&#34;"
		case '&':
			repl = "&amp;"
		case '\'':
			repl = "&#39;"
		case '+':
			repl = "&#43;"
		case '<':
			repl = "&lt;"
		case '>':
			repl = "&gt;"
		default:
			continue
		}
		b.WriteString(s[written:i])
		b.WriteString(repl)
		written = i + 1
	}
	b.WriteString(s[written:])
}

// readTemplates returns the named templates: from dir when it holds a file
// of that name, else the embedded one.
func readTemplates(names []string, dir string) ([]string, error) {
	if dir != "" {
		st, err := os.Stat(dir)
		if err != nil {
			return nil, fmt.Errorf("template dir: %w", err)
		}
		if !st.IsDir() {
			return nil, fmt.Errorf("template dir %s: not a folder", dir)
		}
	}
	out := make([]string, len(names))
	for i, n := range names {
		if dir != "" {
			b, err := os.ReadFile(filepath.Join(dir, n))
			if err == nil {
				out[i] = string(b)
				continue
			}
			if !errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("template %s: %w", n, err)
			}
		}
		b, err := fs.ReadFile(templates.Report, "report/"+n)
		if err != nil {
			return nil, fmt.Errorf("embedded template %s: %w", n, err)
		}
		out[i] = string(b)
	}
	return out, nil
}
