package report

import (
	htmltemplate "html/template"
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
