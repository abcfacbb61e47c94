package output

import (
	"fmt"
	"io"
	"strings"

	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/load"
)

// GitHub Actions workflow commands (::error file=...,line=...::message), which
// show as annotations on the pull request's changed lines.

type githubWriter struct {
	w    io.Writer
	opts Options
}

func newGitHub(w io.Writer, opts Options) Writer { return &githubWriter{w, opts} }

var (
	ghData     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	ghProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

func (g *githubWriter) Write(d diag.Diagnostic) error {
	cmd := "notice"
	switch d.Severity {
	case diag.Error:
		cmd = "error"
	case diag.Warning:
		cmd = "warning"
	}
	pos := d.Pos
	if !pos.IsValid() {
		pos = diag.Pos{File: load.ManifestFile, Line: 1}
	}
	props := []string{"file=" + ghProperty.Replace(diag.Printable(g.opts.file(pos)))}
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
	_, err := fmt.Fprintf(g.w, "%s checked: %s, %s\n", plural(s.Documents, "document"), plural(s.Errors, "error"), plural(s.Warnings, "warning"))
	return err
}
