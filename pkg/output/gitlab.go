package output

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/load"
)

// GitLab Code Quality (a subset of the Code Climate issue format), which
// GitLab shows in merge requests as new and fixed findings. GitLab tells the
// two apart by fingerprint, so it follows a finding by rule, document and
// field rather than by line, and is unique within a report. Paths are from
// the repository root; an AIMS-wide finding is placed on aims.yaml.

type gitlabIssue struct {
	Type        string         `json:"type"`
	CheckName   string         `json:"check_name"`
	Description string         `json:"description"`
	Categories  []string       `json:"categories"`
	Severity    string         `json:"severity"`
	Fingerprint string         `json:"fingerprint"`
	Location    gitlabLocation `json:"location"`
}

type gitlabLocation struct {
	Path  string `json:"path"`
	Lines struct {
		Begin int `json:"begin"`
	} `json:"lines"`
}

type gitlabWriter struct {
	w      io.Writer
	opts   Options
	issues []gitlabIssue
	seen   map[string]int
}

func newGitLab(w io.Writer, opts Options) Writer {
	return &gitlabWriter{w: w, opts: opts, issues: []gitlabIssue{}, seen: map[string]int{}}
}

func gitlabSeverity(s diag.Severity) string {
	switch s {
	case diag.Error:
		return "major"
	case diag.Warning:
		return "minor"
	}
	return "info"
}

func (g *gitlabWriter) Write(d diag.Diagnostic) error {
	pos := d.Pos
	if !pos.IsValid() {
		pos = diag.Pos{File: load.ManifestFile, Line: 1}
	}
	fp := g.opts.fingerprint(d)
	g.seen[fp]++
	if n := g.seen[fp]; n > 1 {
		fp = fmt.Sprintf("%s-%d", fp, n)
	}
	issue := gitlabIssue{Type: "issue", CheckName: d.Code, Description: d.Msg, Categories: []string{"Compliance"},
		Severity: gitlabSeverity(d.Severity), Fingerprint: fp}
	issue.Location.Path = g.opts.repoFile(pos)
	issue.Location.Lines.Begin = max(pos.Line, 1)
	g.issues = append(g.issues, issue)
	return nil
}

func (g *gitlabWriter) Flush(Summary) error {
	enc := json.NewEncoder(g.w)
	enc.SetIndent("", "  ")
	return enc.Encode(g.issues)
}
