package report

import (
	htmltemplate "html/template"
	"os"
	"strings"
	"testing"
)

// linkTemplate is how the report wrote every link before linkHTML: the
// reference linkHTML must match byte for byte, html/template's contextual
// escaping included.
var linkTemplate = htmltemplate.Must(htmltemplate.New("link").Parse(
	`{{if .Href}}<a href="{{.Href}}">{{.Text}}</a>{{else}}{{.Text}}{{end}}`))

func templateLink(t testing.TB, l link) string {
	t.Helper()
	var b strings.Builder
	if err := linkTemplate.Execute(&b, l); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

var linkCases = []link{
	{Text: "Risk register", Href: "records/risks.yaml#L12"},
	{Text: "no link"},
	{Text: "", Href: "x.md"},
	{Text: `<b>"quoted" & 'single' + plus</b>`, Href: `a b/c"d'e<f>g&h+i.md?q=1&r=2#frag`},
	{Text: "nul\x00byte", Href: "nul\x00byte"},
	{Text: "bad utf-8 \xff\xfe", Href: "bad\xff\xfeutf8"},
	{Text: "Ünïcødé ✓ \u202e", Href: "évidence/✓ file.md"},
	{Text: "js", Href: "javascript:alert(1)"},
	{Text: "JS upper", Href: "JavaScript:alert(1)"},
	{Text: "data", Href: "data:text/html,<b>x</b>"},
	{Text: "mailto", Href: "mailto:dpo@example.com"},
	{Text: "https", Href: "HTTPS://example.com/a?b=c&d=e"},
	{Text: "relative colon", Href: "dir/a:b.md"},
	{Text: "percent", Href: "a%20b%zzc%4"},
	{Text: "percent end", Href: "a%2"},
	{Text: "reserved", Href: "!#$&'()*+,/:;=?@[]-._~"},
	{Text: "controls", Href: "\t\n\r\x7f "},
}

func TestLinkHTMLIsTheTemplates(t *testing.T) {
	m := newLinkMemo()
	for _, l := range linkCases {
		for range 2 { // written, then remembered
			if got, want := string(m.html(l)), templateLink(t, l); got != want {
				t.Errorf("linkHTML(%+q) = %q, html/template writes %q", l, got, want)
			}
		}
	}
	if got, want := string(m.list(linkCases[:3])), templateLink(t, linkCases[0])+", "+templateLink(t, linkCases[1])+", "+templateLink(t, linkCases[2]); got != want {
		t.Errorf("linksHTML = %q, want %q", got, want)
	}
	if got := m.list(nil); got != "—" {
		t.Errorf("linksHTML of no links = %q, want a dash", got)
	}
}

// FuzzLinkHTML holds linkHTML to html/template's output for any text and
// href.
func FuzzLinkHTML(f *testing.F) {
	for _, l := range linkCases {
		f.Add(l.Text, l.Href)
	}
	f.Fuzz(func(t *testing.T, text, href string) {
		l := link{Text: text, Href: href}
		if got, want := string(newLinkMemo().html(l)), templateLink(t, l); got != want {
			t.Errorf("linkHTML(%+q) = %q, html/template writes %q", l, got, want)
		}
	})
}

// evidenceRowTemplate is how the report wrote each row of the evidence
// index before evidenceRowsHTML: the reference it must match byte for byte.
var evidenceRowTemplate = htmltemplate.Must(htmltemplate.New("rows").Funcs(newLinkMemo().funcs()).Parse(
	`{{- range .}}
<tr id="{{.Anchor}}"><th scope="row"><span class="rid">{{.ID}}</span> {{linkHTML .Link}}{{if .Systems}}<br><span class="muted">{{.SystemsText}}</span>{{end}}</th><td>{{.Type}}</td><td>{{.SatisfiesText}}</td><td>{{.Owner}}</td><td class="nowrap">{{.Collected}}</td><td class="nowrap">{{if .Never}}never expires<br><span class="muted">{{.Never}}</span>{{else}}{{.Expires}}{{if .Basis}}<br><span class="muted">{{.Basis}}</span>{{end}}{{end}}</td><td><span class="fresh fr-{{.Fresh}}"><span aria-hidden="true">{{.FreshIcon}}</span> {{.FreshLabel}}</span></td><td>{{if .Counts}}<span aria-hidden="true">✓</span> yes{{else}}<strong class="bad-text"><span aria-hidden="true">✗</span> no</strong>{{end}}{{if .Note}}<br><span class="muted">{{.Note}}</span>{{end}}</td><td>{{if .SHA256}}<code class="digest">{{.SHA256}}</code>{{if .Declared}}<br><span class="muted">declared</span>{{end}}{{else if .Unverified}}<strong class="bad-text">unverified URL</strong>{{else}}—{{end}}</td></tr>
{{- end}}`))

func templateRows(t testing.TB, rows []evidenceRow) string {
	t.Helper()
	var b strings.Builder
	if err := evidenceRowTemplate.Execute(&b, rows); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// Every evidence row of both examples, as the template wrote it.
func TestEvidenceRowsAreTheTemplates(t *testing.T) {
	for _, ex := range []string{"northwind", "first-steps"} {
		in := openAt(t, os.DirFS("../../examples/"+ex), "2026-12-01")
		rows := build(in, Options{}).Evidence.Rows
		if len(rows) < 5 {
			t.Fatalf("%s: %d evidence rows; the example went missing", ex, len(rows))
		}
		if got, want := string(newLinkMemo().evidenceRows(rows)), templateRows(t, rows); got != want {
			t.Errorf("%s: evidence rows differ from the template's:\n got %.600q\nwant %.600q", ex, got, want)
		}
	}
	if got := newLinkMemo().evidenceRows(nil); got != "" {
		t.Errorf("no rows written as %q", got)
	}
}

// FuzzEvidenceRows holds evidenceRowsHTML to the template for any values,
// each branch of the row taken or not.
func FuzzEvidenceRows(f *testing.F) {
	f.Add("ev-1", "Risk <b>register</b>", "records/r.md", "a & b", "A.6.2.4, 8.2", "owner's", "2026-01-01", "—", "basis", "current", "✓", "note", "abc", "never", uint8(0))
	f.Add("", "", "", "", "", "", "", "", "", "", "", "", "", "", uint8(0xff))
	f.Fuzz(func(t *testing.T, id, text, href, systems, satisfies, owner, collected, expires, basis, fresh, icon, note, sha, never string, flags uint8) {
		r := evidenceRow{ID: id, Anchor: "ev-" + id, Link: link{Text: text, Href: href}, Type: owner + "?", SatisfiesText: satisfies,
			SystemsText: systems, Owner: owner, Collected: collected, Expires: expires, Basis: basis, Fresh: fresh, FreshIcon: icon,
			FreshLabel: fresh + " " + note, Note: note, SHA256: sha, Never: never,
			Counts: flags&1 != 0, Declared: flags&2 != 0, Unverified: flags&4 != 0}
		if flags&8 != 0 {
			r.Systems = []string{systems}
		}
		rows := []evidenceRow{r, {ID: id}}
		if got, want := string(newLinkMemo().evidenceRows(rows)), templateRows(t, rows); got != want {
			t.Errorf("rows differ from the template's:\n got %q\nwant %q", got, want)
		}
	})
}
