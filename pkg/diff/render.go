package diff

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/registry"
	"github.com/aims-dev/aims/pkg/report"
)

// Writer renders a diff in one format.
type Writer func(w io.Writer, r *Result) error

var formats = registry.New("format",
	registry.Entry[Writer]{Name: "text", Value: func(w io.Writer, r *Result) error { return write(w, r, textStyle) }},
	registry.Entry[Writer]{Name: "json", Value: writeJSON},
	registry.Entry[Writer]{Name: "md", Value: func(w io.Writer, r *Result) error { return write(w, r, mdStyle) }},
)

// Formats lists the valid format names: text, json, and md for a pull
// request or the audit file.
func Formats() []string { return formats.Names() }

// New returns the writer for format, or an error listing the valid formats.
func New(format string) (Writer, error) { return formats.Get(format) }

func writeJSON(w io.Writer, r *Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

type style struct {
	title   func(from, to string) string
	section func(string) string
	line    func(string) string
	cell    func(string) string
}

var textStyle = style{
	title: func(from, to string) string {
		return fmt.Sprintf("AIMS changes from %s to %s\n", diag.Printable(from), diag.Printable(to))
	},
	section: func(s string) string { return "\n" + s + "\n" },
	line:    func(s string) string { return "  " + s + "\n" },
	cell:    diag.Printable,
}

var mdStyle = style{
	title: func(from, to string) string {
		return fmt.Sprintf("## AIMS changes from %s to %s\n", report.MarkdownText(from), report.MarkdownText(to))
	},
	section: func(s string) string { return "\n### " + s + "\n\n" },
	line:    func(s string) string { return "- " + s + "\n" },
	cell:    report.MarkdownText,
}

func write(w io.Writer, r *Result, st style) error {
	var b strings.Builder
	c := st.cell
	b.WriteString(st.title(r.From, r.To))
	fmt.Fprintf(&b, st.line("readiness score %.1f%% -> %.1f%%"), r.FromScore, r.ToScore)
	if r.Empty() {
		b.WriteString(st.line("no changes to requirements, risks, the SoA, evidence, nonconformities or AI systems"))
		_, err := io.WriteString(w, b.String())
		return err
	}
	if len(r.Requirements) > 0 {
		b.WriteString(st.section("Requirements"))
		for _, q := range r.Requirements {
			mark := ""
			if q.Worse {
				mark = " (regression)"
			}
			b.WriteString(st.line(fmt.Sprintf("%s %s: %s -> %s%s", q.ID, c(q.Title), q.From, q.To, mark)))
		}
	}
	section := func(title string, lines []string) {
		if len(lines) == 0 {
			return
		}
		b.WriteString(st.section(title))
		for _, l := range lines {
			b.WriteString(st.line(l))
		}
	}
	items := func(verb string, list []Item) []string {
		var out []string
		for _, it := range list {
			out = append(out, fmt.Sprintf("%s %s: %s", verb, c(it.ID), c(it.Title)))
		}
		return out
	}
	changes := func(list []FieldChange) []string {
		var out []string
		for _, f := range list {
			out = append(out, fmt.Sprintf("%s %s: %s -> %s", c(f.ID), c(f.Field), c(cmp.Or(f.From, "unset")), c(cmp.Or(f.To, "unset"))))
		}
		return out
	}
	risks := append(items("added", r.RisksAdded), items("removed", r.RisksRemoved)...)
	for _, rs := range r.RisksRescored {
		risks = append(risks, fmt.Sprintf("re-scored %s: %s, score %d -> %d, residual %s -> %s", c(rs.ID), c(rs.Title), rs.FromScore, rs.ToScore, residual(rs.FromResidual), residual(rs.ToResidual)))
	}
	section("Risks", risks)
	section("Statement of Applicability", changes(r.SoA))
	section("Evidence", append(append(items("added", r.EvidenceAdded), items("removed", r.EvidenceRemoved)...), items("no longer valid", r.EvidenceExpired)...))
	section("Nonconformities", append(items("opened", r.NonconformitiesOpened), items("closed", r.NonconformitiesClosed)...))
	section("AI systems", append(append(items("added", r.SystemsAdded), items("removed", r.SystemsRemoved)...), changes(r.SystemsChanged)...))
	_, err := io.WriteString(w, b.String())
	return err
}

func residual(n int) string {
	if n < 0 {
		return "not evaluated"
	}
	return fmt.Sprint(n)
}
