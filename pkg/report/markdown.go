package report

import (
	"bytes"
	"html"
	"html/template"
	"path"
	"regexp"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/aims-dev/aims/pkg/diag"
)

// User Markdown (policy texts, descriptions) becomes HTML here and nowhere
// else. goldmark runs without html.WithUnsafe, raw HTML is shown as text
// rather than passed through, and every link and image destination is
// checked: only http, https, mailto and relative destinations survive, and
// images become links so the report never loads anything.

var markdown = goldmark.New(
	goldmark.WithExtensions(extension.GFM),
	goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(rawAsText{}, 100))),
)

type proseOptions struct {
	headingBase int    // level the user's top heading becomes
	dir         string // folder of the file the Markdown is in, relative to the AIMS root
	base        string // Options.LinkBase
	title       string // the document's title: a first heading repeating it is dropped
}

// prose renders user Markdown to HTML that is safe to inline.
func prose(src string, o proseOptions) template.HTML {
	source := []byte(src)
	doc := markdown.Parser().Parse(text.NewReader(source))
	sanitize(doc, source, o)
	var buf bytes.Buffer
	if err := markdown.Renderer().Render(&buf, source, doc); err != nil {
		return template.HTML("<p>" + html.EscapeString(src) + "</p>")
	}
	return template.HTML(buf.String()) // goldmark escaped the text; sanitize vetted the links
}

// sanitize shifts headings under the report's own and drops unsafe links.
func sanitize(doc ast.Node, source []byte, o proseOptions) {
	if h, ok := doc.FirstChild().(*ast.Heading); ok && o.title != "" &&
		strings.EqualFold(strings.TrimSpace(string(h.Lines().Value(source))), strings.TrimSpace(o.title)) {
		doc.RemoveChild(doc, h)
	}
	var nodes []ast.Node
	minLevel := 7
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			minLevel = min(minLevel, n.Level)
			nodes = append(nodes, n)
		case *ast.Link, *ast.Image, *ast.AutoLink:
			nodes = append(nodes, n)
		case *extast.TableCell:
			if _, ok := n.Parent().(*extast.TableHeader); ok {
				n.SetAttributeString("scope", []byte("col")) // headers for screen readers
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range nodes {
		switch n := n.(type) {
		case *ast.Heading:
			if o.headingBase > 0 {
				n.Level = min(6, n.Level-minLevel+o.headingBase)
			}
		case *ast.Link:
			if href, ok := resolveLink(string(n.Destination), o); ok {
				n.Destination = []byte(href)
			} else {
				unwrap(n)
			}
		case *ast.Image:
			// An image would load something: link to it instead, by its alt text.
			l := ast.NewLink()
			href, ok := resolveLink(string(n.Destination), o)
			for c := n.FirstChild(); c != nil; {
				next := c.NextSibling()
				l.AppendChild(l, c)
				c = next
			}
			if !l.HasChildren() {
				l.AppendChild(l, ast.NewString([]byte("image")))
			}
			n.Parent().ReplaceChild(n.Parent(), n, l)
			if ok {
				l.Destination = []byte(href)
			} else {
				unwrap(l)
			}
		case *ast.AutoLink:
			if _, ok := safeURL(string(n.URL(source))); !ok {
				n.Parent().ReplaceChild(n.Parent(), n, ast.NewString(n.Label(source)))
			}
		}
	}
}

// unwrap replaces a node with its children: a dropped link keeps its text.
func unwrap(n ast.Node) {
	p := n.Parent()
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling()
		p.InsertBefore(p, n, c)
		c = next
	}
	p.RemoveChild(p, n)
}

// resolveLink vets a destination and makes a relative one relative to the
// report: relative to the Markdown file's folder inside the AIMS, then to
// where the report is read.
func resolveLink(dest string, o proseOptions) (string, bool) {
	// Judge the destination as the browser will see it: entities decoded.
	dest = html.UnescapeString(dest)
	abs, ok := safeURL(dest)
	switch {
	case !ok:
		return "", false
	case abs:
		return strings.TrimSpace(dest), true
	}
	dest = strings.TrimSpace(dest)
	if strings.HasPrefix(dest, "#") {
		return "", false // an anchor in the source file means nothing in the report
	}
	p, rest := dest, ""
	if i := strings.IndexAny(dest, "?#"); i >= 0 {
		p, rest = dest[:i], dest[i:]
	}
	if strings.HasPrefix(p, "/") {
		p = strings.TrimPrefix(p, "/") // from the AIMS root
	} else {
		p = path.Join(o.dir, p)
	}
	if o.base != "" && o.base != "." {
		p = path.Join(o.base, p)
	}
	return p + rest, true
}

// safeURL reports whether a link destination may be followed: http, https
// and mailto URLs (abs) and relative references. Anything else (javascript:,
// data:, file:, vbscript:, scheme-relative //host, or a destination a
// browser might read differently, with control characters or backslashes)
// is refused.
func safeURL(s string) (abs, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasPrefix(s, "//") {
		return false, false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == '\\' {
			return false, false
		}
	}
	i := strings.IndexAny(s, ":/?#")
	if i < 0 || s[i] != ':' {
		return false, true
	}
	switch strings.ToLower(s[:i]) {
	case "http", "https", "mailto":
		return true, true
	}
	return false, false
}

// rawAsText shows raw HTML in user Markdown as text, so a reader sees what
// the document holds without the browser acting on it.
type rawAsText struct{}

func (rawAsText) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindHTMLBlock, renderHTMLBlock)
	reg.Register(ast.KindRawHTML, renderRawHTML)
}

func renderHTMLBlock(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.HTMLBlock)
	if entering {
		_, _ = w.WriteString(`<pre class="raw-html">`)
		for i := range n.Lines().Len() {
			line := n.Lines().At(i)
			_, _ = w.Write(util.EscapeHTML(line.Value(source)))
		}
		return ast.WalkContinue, nil
	}
	if n.HasClosure() {
		_, _ = w.Write(util.EscapeHTML(n.ClosureLine.Value(source)))
	}
	_, _ = w.WriteString("</pre>\n")
	return ast.WalkContinue, nil
}

var lineBreak = regexp.MustCompile(`(?i)^<br\s*/?>$`)

func renderRawHTML(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.RawHTML)
	var raw []byte
	for i := range n.Segments.Len() {
		s := n.Segments.At(i)
		raw = append(raw, s.Value(source)...)
	}
	if lineBreak.Match(raw) {
		_, _ = w.WriteString("<br>")
	} else {
		_, _ = w.Write(util.EscapeHTML(raw))
	}
	return ast.WalkSkipChildren, nil
}

// ---- Markdown output ----

var entityLike = regexp.MustCompile(`&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);`)

// MarkdownText makes user text safe as inline GitHub-flavoured Markdown (see
// mdText); other renderers of Markdown, such as aims diff, use it too.
func MarkdownText(s string) string { return mdText(s) }

// mdText makes a YAML string safe as inline GFM text, in a table cell or
// not: whitespace (newlines too) collapses to single spaces, | and the
// characters that start emphasis, code or links are backslash-escaped, and
// < > and entities are written as entities so no HTML survives.
func mdText(s string) string {
	s = diag.Printable(strings.Join(strings.Fields(s), " "))
	s = entityLike.ReplaceAllString(s, "&amp;$1;")
	var b strings.Builder
	rs := []rune(s)
	alnum := func(i int) bool {
		if i < 0 || i >= len(rs) {
			return false
		}
		r := rs[i]
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	for i, r := range rs {
		switch r {
		case '\\', '`', '*', '[', ']', '|', '~':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '_':
			if alnum(i-1) && alnum(i+1) {
				b.WriteRune(r) // intraword: never emphasis in GFM
			} else {
				b.WriteString(`\_`)
			}
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '#', '+', '-', '=':
			if i == 0 {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		case '.', ')':
			// "1. text" at the start would become an ordered list.
			if i > 0 && allDigits(rs[:i]) && (i+1 == len(rs) || rs[i+1] == ' ') {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func allDigits(rs []rune) bool {
	for _, r := range rs {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// mdURL escapes a link destination for Markdown: characters that would end
// or split it are percent-encoded.
func mdURL(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r == ' ':
			b.WriteString("%20")
		case r == '(':
			b.WriteString("%28")
		case r == ')':
			b.WriteString("%29")
		case r == '<':
			b.WriteString("%3C")
		case r == '>':
			b.WriteString("%3E")
		case r < 0x20 || r == 0x7f:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mdLink writes a link as Markdown, or its text alone when it has no
// destination or points inside the HTML report.
func mdLink(l link) string {
	text := l.Text
	if text == "" {
		text = l.Href
	}
	if l.Href == "" || strings.HasPrefix(l.Href, "#") {
		return mdText(text)
	}
	if _, ok := safeURL(l.Href); !ok {
		return mdText(text)
	}
	return "[" + mdText(text) + "](" + mdURL(l.Href) + ")"
}
