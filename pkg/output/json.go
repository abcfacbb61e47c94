package output

import (
	"encoding/json"
	"io"

	"github.com/aims-dev/aims/pkg/diag"
)

// JSONFinding is one finding in the json format.
type JSONFinding struct {
	Rule     string   `json:"rule"`
	Severity string   `json:"severity"`
	Message  string   `json:"message"`
	File     string   `json:"file,omitempty"`
	Line     int      `json:"line,omitempty"`
	Column   int      `json:"column,omitempty"`
	Refs     []string `json:"refs"`
	Related  []string `json:"related,omitempty"`
}

// JSONReport is the whole json output.
type JSONReport struct {
	Summary struct {
		Documents int `json:"documents"`
		Errors    int `json:"errors"`
		Warnings  int `json:"warnings"`
		Infos     int `json:"infos"`
	} `json:"summary"`
	Findings []JSONFinding `json:"findings"`
}

type jsonWriter struct {
	w    io.Writer
	opts Options
	r    JSONReport
}

func newJSON(w io.Writer, opts Options) Writer {
	return &jsonWriter{w: w, opts: opts, r: JSONReport{Findings: []JSONFinding{}}}
}

func (j *jsonWriter) Write(d diag.Diagnostic) error {
	refs := d.Refs
	if refs == nil {
		refs = []string{}
	}
	var related []string
	for _, r := range j.opts.diag(d).Related {
		related = append(related, r.String())
	}
	j.r.Findings = append(j.r.Findings, JSONFinding{
		Rule: d.Code, Severity: d.Severity.String(), Message: d.Msg,
		File: j.opts.file(d.Pos), Line: d.Pos.Line, Column: d.Pos.Col, Refs: refs, Related: related,
	})
	return nil
}

func (j *jsonWriter) Flush(s Summary) error {
	j.r.Summary.Documents, j.r.Summary.Errors, j.r.Summary.Warnings, j.r.Summary.Infos = s.Documents, s.Errors, s.Warnings, s.Infos
	enc := json.NewEncoder(j.w)
	enc.SetIndent("", "  ")
	return enc.Encode(j.r)
}
