package diff

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Write renders the diff as text, json or md (for a pull request or the
// audit file).
func Write(w io.Writer, format string, r *Result) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case "text":
		return write(w, r, textStyle)
	case "md":
		return write(w, r, mdStyle)
	}
	return fmt.Errorf("unknown format %q (want text, json or md)", format)
}

type style struct {
	title   func(from, to string) string
	section func(string) string
	line    func(string) string
	cell    func(string) string
}

var textStyle = style{
	title:   func(from, to string) string { return fmt.Sprintf("AIMS changes from %s to %s\n", from, to) },
	section: func(s string) string { return "\n" + s + "\n" },
	line:    func(s string) string { return "  " + s + "\n" },
	cell:    func(s string) string { return s },
}

var mdStyle = style{
	title: func(from, to string) string {
		return fmt.Sprintf("## AIMS changes from %s to %s\n", mdEscape(from), mdEscape(to))
	},
	section: func(s string) string { return "\n### " + s + "\n\n" },
	line:    func(s string) string { return "- " + s + "\n" },
	cell:    mdEscape,
}

// mdEscape keeps user text literal in Markdown: no markup, no raw HTML, and
// one line.
func mdEscape(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '|', '#', '<', '>', '~':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
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
	if len(r.RisksAdded)+len(r.RisksRemoved)+len(r.RisksRescored) > 0 {
		b.WriteString(st.section("Risks"))
		for _, it := range r.RisksAdded {
			b.WriteString(st.line(fmt.Sprintf("added %s: %s", c(it.ID), c(it.Title))))
		}
		for _, it := range r.RisksRemoved {
			b.WriteString(st.line(fmt.Sprintf("removed %s: %s", c(it.ID), c(it.Title))))
		}
		for _, rs := range r.RisksRescored {
			b.WriteString(st.line(fmt.Sprintf("re-scored %s: %s, score %d -> %d, residual %s -> %s", c(rs.ID), c(rs.Title), rs.FromScore, rs.ToScore, residual(rs.FromResidual), residual(rs.ToResidual))))
		}
	}
	if len(r.SoA) > 0 {
		b.WriteString(st.section("Statement of Applicability"))
		for _, f := range r.SoA {
			b.WriteString(st.line(fmt.Sprintf("%s %s: %s -> %s", f.ID, f.Field, c(f.From), c(f.To))))
		}
	}
	if len(r.EvidenceAdded)+len(r.EvidenceRemoved)+len(r.EvidenceExpired) > 0 {
		b.WriteString(st.section("Evidence"))
		for _, it := range r.EvidenceAdded {
			b.WriteString(st.line(fmt.Sprintf("added %s: %s", c(it.ID), c(it.Title))))
		}
		for _, it := range r.EvidenceRemoved {
			b.WriteString(st.line(fmt.Sprintf("removed %s: %s", c(it.ID), c(it.Title))))
		}
		for _, it := range r.EvidenceExpired {
			b.WriteString(st.line(fmt.Sprintf("no longer valid %s: %s", c(it.ID), c(it.Title))))
		}
	}
	if len(r.NonconformitiesOpened)+len(r.NonconformitiesClosed) > 0 {
		b.WriteString(st.section("Nonconformities"))
		for _, it := range r.NonconformitiesOpened {
			b.WriteString(st.line(fmt.Sprintf("opened %s: %s", c(it.ID), c(it.Title))))
		}
		for _, it := range r.NonconformitiesClosed {
			b.WriteString(st.line(fmt.Sprintf("closed %s: %s", c(it.ID), c(it.Title))))
		}
	}
	if len(r.SystemsAdded)+len(r.SystemsRemoved)+len(r.SystemsChanged) > 0 {
		b.WriteString(st.section("AI systems"))
		for _, it := range r.SystemsAdded {
			b.WriteString(st.line(fmt.Sprintf("added %s: %s", c(it.ID), c(it.Title))))
		}
		for _, it := range r.SystemsRemoved {
			b.WriteString(st.line(fmt.Sprintf("removed %s: %s", c(it.ID), c(it.Title))))
		}
		for _, f := range r.SystemsChanged {
			b.WriteString(st.line(fmt.Sprintf("%s %s: %s -> %s", c(f.ID), f.Field, c(or(f.From, "unset")), c(or(f.To, "unset")))))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func residual(n int) string {
	if n < 0 {
		return "not evaluated"
	}
	return fmt.Sprint(n)
}
