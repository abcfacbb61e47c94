package report

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/gap"
	"github.com/aims-dev/aims/pkg/workspace"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// asOf is the fixture's "today": the bias result is fresh, one piece of
// evidence is stale and another expires within the month.
const asOf = "2026-09-01"

// open opens an AIMS and runs the gap analysis the way aims report does.
func open(t *testing.T, fsys fs.FS) *Input { return openAt(t, fsys, asOf) }

// openAt opens an AIMS as of date.
func openAt(t *testing.T, fsys fs.FS, date string) *Input {
	t.Helper()
	ws, err := workspace.Open(fsys)
	if err != nil {
		t.Fatal(err)
	}
	now, _ := time.Parse(time.DateOnly, date)
	res := gap.Analyze(ws.Model, ws.Catalog, ws.Diags, gap.Options{Now: now, Tiers: ws.Tiers, FileExists: ws.FileExists, Digest: ws.FileDigest})
	all := append(slices.Clone(ws.Diags), res.Findings...)
	all.Sort()
	return &Input{Model: ws.Model, Catalog: ws.Catalog, Gap: res, Findings: all, AsOf: res.AsOf, Tool: "v0.0.0-test"}
}

// fixture is testdata/aims with provenance and document control filled in,
// as the git integration provides them.
func fixture(t *testing.T) *Input {
	in := open(t, os.DirFS("testdata/aims"))
	in.Source = Source{Versioned: true, Commit: "0123456789abcdef0123456789abcdef01234567", Short: "0123456", Date: "2026-08-30",
		Subject: "Update the risk register", Dirty: true, Path: "aims"}
	in.Documents = []DocControl{
		{File: "policies/ai-policy.md", Kind: "Policy", ID: "ai-policy", Title: "Acme AI policy", Version: "1.0", ApprovedBy: "ceo",
			ApprovedOn: "2026-01-10", LastChanged: "2026-03-02", ChangedAfterApproval: true, Commits: []Commit{
				{Hash: "aaaa", Short: "aaaa111", Author: "Cara Chief", Date: "2026-03-02", Subject: "Tighten the fairness principle"},
				{Hash: "bbbb", Short: "bbbb222", Author: "Cara Chief", Date: "2026-01-09", Subject: "First AI policy"},
			}},
		{File: "scope.yaml", Kind: "Scope", ID: "scope", Title: "Scope of the Acme AIMS", Version: "1.0", ApprovedBy: "ceo",
			ApprovedOn: "2026-01-10", LastChanged: "2026-01-09", Commits: []Commit{
				{Hash: "bbbb", Short: "bbbb222", Author: "Cara Chief", Date: "2026-01-09", Subject: "First AI policy"},
			}},
	}
	return in
}

func render(t *testing.T, format string, in *Input, opts Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, format, in, opts); err != nil {
		t.Fatalf("Render(%s): %v", format, err)
	}
	return buf.String()
}

// The whole report, both formats, is pinned by golden files: review their
// diffs like code. Regenerate with go test ./pkg/report -update.
func TestGolden(t *testing.T) {
	for _, format := range Formats() {
		t.Run(format, func(t *testing.T) {
			got := render(t, format, fixture(t), Options{LinkBase: "aims"})
			golden := filepath.Join("testdata", "report."+format+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./pkg/report -update)", err)
			}
			if diff := cmp.Diff(strings.Split(string(want), "\n"), strings.Split(got, "\n")); diff != "" {
				t.Errorf("%s differs from the golden file (-want +got); run go test ./pkg/report -update and review:\n%s", golden, diff)
			}
		})
	}
}

// Two loads of the same AIMS (with their own maps) render the same bytes.
func TestDeterministic(t *testing.T) {
	for _, format := range Formats() {
		a := render(t, format, fixture(t), Options{})
		b := render(t, format, fixture(t), Options{})
		if a != b {
			t.Errorf("%s: two renders of the same input differ", format)
		}
	}
}

const evil = "<script>alert(1)</script>"

// hostile is an AIMS whose text tries to run script in the reader's browser.
func hostile() fstest.MapFS {
	return fstest.MapFS{
		"aims.yaml": {Data: []byte("apiVersion: aims/v1\nkind: Manifest\norganization:\n  name: \"" + evil + "\"\n")},
		"risk.yaml": {Data: []byte(`apiVersion: aims/v1
kind: Risk
id: risk-x
title: "` + evil + `"
description: "` + evil + ` is *not* run"
owner: p
systems: [s]
source: other
likelihood: 2
impact: 2
---
apiVersion: aims/v1
kind: Person
id: p
name: "` + evil + `"
---
apiVersion: aims/v1
kind: Evidence
id: ev-x
title: "` + evil + `"
owner: p
url: "https://ok.example/ev"
satisfies: ["5.1"]
collected: 2026-08-01
`)},
		"policy.md": {Data: []byte(`---
apiVersion: aims/v1
kind: Policy
id: pol
type: ai_policy
title: Policy
owner: p
version: "1"
---
# Policy

<script>alert(1)</script>

Click [here](javascript:alert(4)) or [there](JaVaScRiPt:alert(5)) or
[data](data:text/html;base64,PHNjcmlwdD4=), see ![logo](https://evil.example/x.png)
and <img src=x onerror=alert(6)> inline.
`)},
	}
}

// Every string from the AIMS reaches the reader as text: no script runs, no
// javascript: link survives, in either format.
func TestInjection(t *testing.T) {
	in := open(t, hostile())
	for _, format := range Formats() {
		t.Run(format, func(t *testing.T) {
			out := render(t, format, in, Options{})
			lower := strings.ToLower(out)
			for _, bad := range []string{"<script", "javascript:", "<img", "onerror=alert(6)>", "data:text"} {
				if strings.Contains(lower, bad) {
					i := strings.Index(lower, bad)
					t.Errorf("output contains %q: ...%s...", bad, out[max(0, i-80):min(len(out), i+80)])
				}
			}
			if !strings.Contains(out, "&lt;script&gt;alert(1)&lt;/script&gt;") {
				t.Errorf("the title's <script> is not shown as escaped text")
			}
		})
	}
	html := render(t, "html", in, Options{})
	for _, want := range []string{
		`<pre class="raw-html">&lt;script&gt;alert(1)&lt;/script&gt;`, // raw HTML block shown as text
		"Click here or there or",                        // unsafe links keep their text only
		`<a href="https://evil.example/x.png">logo</a>`, // an image becomes a link: nothing loads
		`&lt;img src=x onerror=alert(6)&gt;`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("html lacks %q", want)
		}
	}
}

var srcAttr = regexp.MustCompile(`<[a-z][^>]*\ssrc\s*=[^>]*>`)

// The HTML report is self-contained: it loads nothing, whatever the AIMS
// links to.
func TestHTMLLoadsNothing(t *testing.T) {
	for name, in := range map[string]*Input{"fixture": fixture(t), "hostile": open(t, hostile())} {
		out := strings.ToLower(render(t, "html", in, Options{}))
		for _, bad := range []string{`<link`, `@import`, `url(`, `<script`, `<iframe`, `<object`, `<embed`, `<img`} {
			if strings.Contains(out, bad) {
				t.Errorf("%s: html contains %q", name, bad)
			}
		}
		// No element has a src attribute (escaped text may mention one).
		if m := srcAttr.FindString(out); m != "" {
			t.Errorf("%s: html loads something: %s", name, m)
		}
		if !strings.HasPrefix(out, "<!doctype html>\n<html lang=\"en\">") {
			t.Errorf("%s: html does not start with a doctype and <html lang=\"en\">", name)
		}
	}
}

// Headings go h1 > h2 > h3 without skipping a level, in both formats.
func TestHeadingOrder(t *testing.T) {
	for _, format := range Formats() {
		out := render(t, format, fixture(t), Options{})
		prev := 0
		for _, line := range strings.Split(out, "\n") {
			level := 0
			switch format {
			case "md":
				if !strings.HasPrefix(line, "#") {
					continue
				}
				level = len(line) - len(strings.TrimLeft(line, "#"))
			case "html":
				for l := 1; l <= 6; l++ {
					if strings.Contains(line, "<h"+string(rune('0'+l))) {
						level = l
						break
					}
				}
				if level == 0 {
					continue
				}
			}
			if level > prev+1 {
				t.Errorf("%s: heading level %d after %d: %.80s", format, level, prev, line)
			}
			prev = level
		}
	}
}

// Errors are shown near the top, before the contents, so nobody reads a
// readiness score without seeing them.
func TestErrorsFirst(t *testing.T) {
	in := fixture(t)
	for format, marks := range map[string][2]string{
		"md":   {"errors in the AIMS.**", "## Contents"},
		"html": {"errors in the AIMS</h2>", `id="toc-h"`},
	} {
		out := render(t, format, in, Options{})
		alert, toc := strings.Index(out, marks[0]), strings.Index(out, marks[1])
		if alert < 0 || toc < 0 || alert > toc {
			t.Errorf("%s: error summary at %d, contents at %d: want the errors first", format, alert, toc)
		}
		first := in.Findings[slices.IndexFunc(in.Findings, func(d diag.Diagnostic) bool { return d.Severity == diag.Error })]
		if i := strings.Index(out, first.Code); i < 0 || i > toc {
			t.Errorf("%s: the first error (%s) is not listed before the contents", format, first.Code)
		}
		if !strings.Contains(out[:toc], "more") {
			t.Errorf("%s: the top of the report does not say there are more errors than it lists", format)
		}
	}
}

func TestUnknownFormat(t *testing.T) {
	err := Render(&bytes.Buffer{}, "pdf", fixture(t), Options{})
	if err == nil || !strings.Contains(err.Error(), `"pdf"`) || !strings.Contains(err.Error(), "md or html") {
		t.Errorf("Render(pdf) = %v, want an error naming pdf and listing md or html", err)
	}
}

func TestTemplateDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "report.md.tmpl"), []byte("custom report for {{md .Org}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "style.css"), []byte("body { color: rebeccapurple; }"), 0o644); err != nil {
		t.Fatal(err)
	}
	in := fixture(t)
	if got := render(t, "md", in, Options{TemplateDir: dir}); got != "custom report for Acme Analytics\n" {
		t.Errorf("md with a template dir = %q", got)
	}
	html := render(t, "html", in, Options{TemplateDir: dir})
	if !strings.Contains(html, "rebeccapurple") || !strings.Contains(html, "Statement of Applicability") {
		t.Errorf("html with only style.css overridden should use that stylesheet in the built-in template")
	}
	if err := Render(&bytes.Buffer{}, "md", in, Options{TemplateDir: filepath.Join(dir, "missing")}); err == nil {
		t.Errorf("a missing template dir is not an error")
	}
	if err := os.WriteFile(filepath.Join(dir, "report.md.tmpl"), []byte("{{.Nope}}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Render(&bytes.Buffer{}, "md", in, Options{TemplateDir: dir}); err == nil || !strings.Contains(err.Error(), "report.md.tmpl") {
		t.Errorf("a broken template: err = %v, want one naming the template", err)
	}
	// A template that fails half-way leaves no half report behind, also
	// when rendered straight into the caller's buffer.
	if err := os.WriteFile(filepath.Join(dir, "report.md.tmpl"), []byte("# {{md .Org}}\n{{.Nope}}"), 0o644); err != nil {
		t.Fatal(err)
	}
	buf := bytes.NewBufferString("kept\n")
	if err := Render(buf, "md", in, Options{TemplateDir: dir}); err == nil {
		t.Errorf("a template failing half-way is not an error")
	}
	if got := buf.String(); got != "kept\n" {
		t.Errorf("a template failing half-way left %q in the buffer, want only what was there before", got)
	}
}

func TestCoverSource(t *testing.T) {
	in := fixture(t)
	for _, tc := range []struct {
		name string
		src  Source
		want []string
	}{
		{"dirty", Source{Versioned: true, Short: "abc1234", Date: "2026-08-30", Dirty: true}, []string{"git commit `abc1234` of 2026-08-30", "**had uncommitted changes**"}},
		{"clean", Source{Versioned: true, Short: "abc1234"}, []string{"clean: the report matches the commit"}},
		{"revision", Source{Versioned: true, Short: "abc1234", Rev: "v1.0", Dirty: true}, []string{"(revision v1.0)"}},
		{"none", Source{}, []string{"| **Source** | not under version control |"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in.Source = tc.src
			out := render(t, "md", in, Options{})
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("cover lacks %q", w)
				}
			}
			// Read from a revision, the working tree played no part.
			if hasTree := strings.Contains(out, "**Working tree**"); hasTree != (tc.src.Versioned && tc.src.Rev == "") {
				t.Errorf("working tree row shown: %v", hasTree)
			}
		})
	}
}

func TestDocumentControl(t *testing.T) {
	in := fixture(t)
	out := render(t, "md", in, Options{})
	if !strings.Contains(out, "2026-03-02 **changed after approval**") || !strings.Contains(out, "1 document changed after approval") {
		t.Errorf("a document changed after approval is not flagged")
	}
	in.Documents = nil
	out = render(t, "md", in, Options{})
	if !strings.Contains(out, "History unknown") {
		t.Errorf("without document control the section does not say the history is unknown")
	}
	html := render(t, "html", in, Options{})
	if !strings.Contains(html, "History unknown.") {
		t.Errorf("html: without document control the section does not say the history is unknown")
	}
}

func TestHeatmap(t *testing.T) {
	v := build(fixture(t), Options{})
	r := v.Risk
	if r.Scale != "4 × 4" || len(r.Inherent.Cols) != 4 || len(r.Inherent.Rows) != 4 {
		t.Fatalf("scale %s with %d x %d cells, want the criteria's 4 x 4", r.Scale, len(r.Inherent.Rows), len(r.Inherent.Cols))
	}
	// Rows run from likelihood 4 down to 1, columns impact 1 to 4.
	cell := func(h heatmap, l, i int) int { return h.Rows[4-l].Cells[i-1].Count }
	if cell(r.Inherent, 3, 3) != 1 || cell(r.Inherent, 4, 2) != 1 || r.Inherent.Total != 2 {
		t.Errorf("inherent: risk-bias at 3x3 and risk-drift at 4x2 (the closed risk not counted), got total %d", r.Inherent.Total)
	}
	if cell(r.Residual, 2, 2) != 1 || r.Residual.Total != 1 || r.Residual.Unscored != 1 {
		t.Errorf("residual: risk-bias at 2x2 and risk-drift unscored, got total %d unscored %d", r.Residual.Total, r.Residual.Unscored)
	}
	if got := r.Inherent.Rows[0].Cells[3].Band; got != "high" {
		t.Errorf("band of score 16 with threshold 4 = %s, want high", got)
	}
	if got := r.Inherent.Rows[3].Cells[3].Band; got != "low" {
		t.Errorf("band of score 4 with threshold 4 = %s, want low", got)
	}
}

// The fixture's stale evidence is stale in the report exactly when gap
// says so.
func TestFreshnessAgreesWithGap(t *testing.T) {
	in := fixture(t)
	v := build(in, Options{})
	stale := map[string]bool{}
	for _, d := range in.Findings {
		if d.Code == "AIMS-G020" {
			for _, r := range v.Evidence.Rows {
				if strings.Contains(d.Msg, "evidence "+r.ID+" ") {
					stale[r.ID] = true
				}
			}
		}
	}
	for _, r := range v.Evidence.Rows {
		if got := r.Fresh == "stale" || r.Fresh == "grace"; got != stale[r.ID] {
			t.Errorf("%s: report says %s, gap reported stale: %v", r.ID, r.Fresh, stale[r.ID])
		}
	}
	if len(stale) == 0 {
		t.Errorf("the fixture has no stale evidence to compare")
	}
}

// Evidence links only to what is safe to follow; the schema refuses other
// URLs, but the report does not rely on it.
func TestEvidenceLink(t *testing.T) {
	b := &builder{m: &aims.Model{}, opts: Options{LinkBase: "../aims"}}
	for _, tc := range []struct {
		e    aims.Evidence
		want string
	}{
		{aims.Evidence{Path: "./evidence/a b.pdf"}, "../aims/evidence/a b.pdf"},
		{aims.Evidence{URL: "https://example.com/x"}, "https://example.com/x"},
		{aims.Evidence{URL: "javascript:alert(1)"}, ""},
		{aims.Evidence{URL: "data:text/html,x"}, ""},
	} {
		if got := b.evidenceLink(&tc.e).Href; got != tc.want {
			t.Errorf("evidenceLink(%+v) = %q, want %q", tc.e, got, tc.want)
		}
	}
	if got := mdLink(link{Text: "x", Href: "javascript:alert(1)"}); got != "x" {
		t.Errorf("mdLink of a javascript: link = %q, want the text alone", got)
	}
	if got := mdLink(link{Text: "a|b", Href: "ev/a (1).pdf"}); got != `[a\|b](ev/a%20%281%29.pdf)` {
		t.Errorf("mdLink = %q", got)
	}
}

func TestMDText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"a | b", `a \| b`},
		{"line one\nline two\n\nthree", "line one line two three"},
		{evil, "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{"snake_case_id", "snake_case_id"},
		{"_emphasis_ and *strong*", `\_emphasis\_ and \*strong\*`},
		{"[x](javascript:y)", `\[x\](javascript:y)`},
		{"1. first", `1\. first`},
		{"version 2.0", "version 2.0"},
		{"# not a heading", `\# not a heading`},
		{"R&D &amp; more", "R&D &amp;amp; more"},
		{"`code`", "\\`code\\`"},
	} {
		if got := mdText(tc.in); got != tc.want {
			t.Errorf("mdText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSafeURL(t *testing.T) {
	for _, tc := range []struct {
		in      string
		abs, ok bool
	}{
		{"https://example.com/x", true, true},
		{"HTTP://example.com", true, true},
		{"mailto:a@b.example", true, true},
		{"evidence/report.pdf", false, true},
		{"../x.md#part", false, true},
		{"javascript:alert(1)", false, false},
		{" JavaScript:alert(1)", false, false},
		{"java\tscript:alert(1)", false, false},
		{"data:text/html,x", false, false},
		{"vbscript:x", false, false},
		{"file:///etc/passwd", false, false},
		{"//evil.example/x", false, false},
		{`\\evil.example\x`, false, false},
		{"", false, false},
	} {
		abs, ok := safeURL(tc.in)
		if abs != tc.abs || ok != tc.ok {
			t.Errorf("safeURL(%q) = %v, %v; want %v, %v", tc.in, abs, ok, tc.abs, tc.ok)
		}
	}
}

func TestProse(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		opts     proseOptions
		want     []string
		not      []string
	}{
		{"relative link from the file's folder to the report", "[criteria](../risk.yaml#levels)",
			proseOptions{dir: "policies", base: "aims"}, []string{`<a href="aims/risk.yaml#levels">criteria</a>`}, nil},
		{"root-relative link", "[x](/evidence/a.md)", proseOptions{dir: "policies"}, []string{`href="evidence/a.md"`}, nil},
		{"anchor dropped", "[x](#section)", proseOptions{}, []string{"<p>x</p>"}, []string{"<a"}},
		{"raw anchor shown as text", `<a href="javascript:alert(1)">x</a>`, proseOptions{},
			[]string{"&lt;a href=&quot;javascript:alert(1)&quot;&gt;"}, []string{"<a "}},
		{"line break kept", "one<br>two", proseOptions{}, []string{"one<br>two"}, nil},
		{"entity-encoded scheme", "[x](java&#115;cript:alert(1))", proseOptions{}, []string{"<p>x</p>"}, []string{"href"}},
		{"autolink to a bad scheme", "<javascript:alert(1)>", proseOptions{}, nil, []string{"href"}},
		{"headings shifted under the report's", "## A\n\n### B", proseOptions{headingBase: 4}, []string{"<h4>A</h4>", "<h5>B</h5>"}, nil},
		{"repeated title dropped", "# Policy\n\nText", proseOptions{title: "Policy", headingBase: 4}, []string{"<p>Text</p>"}, []string{"<h4>"}},
		{"GFM table", "| a | b |\n|---|---|\n| 1 | 2 |", proseOptions{}, []string{"<table>", `<th scope="col">a</th>`, "<td>1</td>"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := string(prose(tc.in, tc.opts))
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("prose(%q) = %q, lacks %q", tc.in, got, w)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(got, n) {
					t.Errorf("prose(%q) = %q, contains %q", tc.in, got, n)
				}
			}
		})
	}
}

func TestLineChart(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	if c := newLineChart("c", "t", []point{{day("2026-01-01"), "2026-01-01", 1}}, 2, "target", ""); c != nil {
		t.Errorf("a chart of one measurement")
	}
	pts := []point{{day("2026-01-01"), "2026-01-01", 0.09}, {day("2026-09-20"), "2026-09-20", 0.06}, {day("2026-10-01"), "2026-10-01", 0.05}}
	c := newLineChart("c", "t", pts, 0.04, "target ≤ 0.04", "")
	if len(c.Dots) != 3 || c.Dots[0].X != c.Left || c.Dots[2].X != c.Right {
		t.Fatalf("dots %+v do not span the plot %v..%v", c.Dots, c.Left, c.Right)
	}
	if !(c.Dots[0].Y < c.Dots[2].Y && c.Dots[2].Y < c.TargetY) {
		t.Errorf("falling values should fall towards the target line: %+v, target at %v", c.Dots, c.TargetY)
	}
	// The last two dates are 11 days apart: only one of them gets a label.
	if len(c.XTicks) != 2 || c.XTicks[1].Label != "2026-10-01" {
		t.Errorf("x labels %+v, want the first and the last", c.XTicks)
	}
	if c.YTicks[0].Label != "0.04" || c.YTicks[len(c.YTicks)-1].Label != "0.10" || c.YTicks[0].Pos != c.TargetY {
		t.Errorf("y ticks %+v, want 0.04 (the target) to 0.10 in nice steps", c.YTicks)
	}
}

// Every row of every Markdown table has as many cells as its header: a |
// or newline in AIMS text must not split or end a row.
func TestMarkdownTables(t *testing.T) {
	for name, in := range map[string]*Input{"fixture": fixture(t), "hostile": open(t, hostile())} {
		out := render(t, "md", in, Options{})
		want := -1
		for i, line := range strings.Split(out, "\n") {
			if !strings.HasPrefix(line, "|") {
				want = -1
				continue
			}
			n := strings.Count(line, "|") - strings.Count(line, `\|`)
			if want < 0 {
				want = n
			} else if n != want {
				t.Errorf("%s: line %d has %d cell separators, its table %d: %.100s", name, i+1, n, want, line)
			}
		}
	}
}
