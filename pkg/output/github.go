package output

import (
	"fmt"
	"io"
	"strings"

	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/load"
	"github.com/aims-dev/aims/pkg/report"
)

// GitHub Actions workflow commands (::error file=...,line=...::message), which
// show as annotations on the pull request's changed lines. Paths are from the
// repository root, where GitHub resolves them.
//
// GitHub keeps only the first 10 annotations of each level per step, so
// findings beyond that are printed as plain log lines with one notice saying
// so, and every finding goes to the Markdown job summary when
// Options.Summary is set ($GITHUB_STEP_SUMMARY).

// githubAnnotationLimit is how many annotations of one level GitHub keeps
// per step.
const githubAnnotationLimit = 10

type githubWriter struct {
	w        io.Writer
	opts     Options
	perLevel map[string]int
	dropped  int
	all      diag.List
}

func newGitHub(w io.Writer, opts Options) Writer {
	return &githubWriter{w: w, opts: opts, perLevel: map[string]int{}}
}

var (
	ghData     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	ghProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

func (g *githubWriter) Write(d diag.Diagnostic) error {
	g.all = append(g.all, d)
	cmd := "notice"
	switch d.Severity {
	case diag.Error:
		cmd = "error"
	case diag.Warning:
		cmd = "warning"
	}
	g.perLevel[cmd]++
	if g.perLevel[cmd] > githubAnnotationLimit {
		g.dropped++
		_, err := fmt.Fprintln(g.w, g.opts.repoDiag(d).String())
		return err
	}
	pos := d.Pos
	if !pos.IsValid() {
		pos = diag.Pos{File: load.ManifestFile, Line: 1}
	}
	props := []string{"file=" + ghProperty.Replace(diag.Printable(g.opts.repoFile(pos)))}
	if pos.Line > 0 {
		props = append(props, fmt.Sprintf("line=%d", pos.Line))
	}
	if pos.Col > 0 {
		props = append(props, fmt.Sprintf("col=%d", pos.Col))
	}
	if d.Code != "" {
		props = append(props, "title="+ghProperty.Replace(d.Code))
	}
	_, err := fmt.Fprintf(g.w, "::%s %s::%s\n", cmd, strings.Join(props, ","), ghData.Replace(diag.PrintableLines(d.Msg)))
	return err
}

func (g *githubWriter) Flush(s Summary) error {
	if g.dropped > 0 {
		msg := fmt.Sprintf("%s not annotated: GitHub shows %d annotations of each level per step; all are listed above", plural(g.dropped, "more finding"), githubAnnotationLimit)
		if g.opts.Summary != nil {
			msg += " and in the job summary"
		}
		if _, err := fmt.Fprintf(g.w, "::notice title=aims::%s\n", ghData.Replace(msg)); err != nil {
			return err
		}
	}
	if !g.opts.Quiet {
		if _, err := fmt.Fprintf(g.w, "%s checked: %s, %s\n", plural(s.Documents, "document"), plural(s.Errors, "error"), plural(s.Warnings, "warning")); err != nil {
			return err
		}
	}
	if g.opts.Summary == nil {
		return nil
	}
	return g.summary(s)
}

// summary writes every finding as a Markdown table for the job summary.
func (g *githubWriter) summary(s Summary) error {
	var b strings.Builder
	b.WriteString("### aims check\n\n")
	if len(g.all) == 0 {
		fmt.Fprintf(&b, "%s checked: no problems.\n\n", plural(s.Documents, "document"))
	} else {
		fmt.Fprintf(&b, "%s checked: %s, %s.\n\n", plural(s.Documents, "document"), plural(s.Errors, "error"), plural(s.Warnings, "warning"))
		b.WriteString("| Severity | Rule | Where | Finding |\n|---|---|---|---|\n")
		for _, d := range g.all {
			where := "the AIMS as a whole"
			if d.Pos.IsValid() {
				p := d.Pos
				p.File = g.opts.repoFile(p)
				where = report.MarkdownText(p.String())
			}
			fmt.Fprintf(&b, "| %s | [%s](%s#%s) | %s | %s |\n", d.Severity, d.Code, RulesDoc, strings.ToLower(d.Code), where, report.MarkdownText(d.Msg))
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(g.opts.Summary, b.String())
	return err
}
