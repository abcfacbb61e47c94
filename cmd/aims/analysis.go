package main

import (
	"fmt"
	"time"

	"github.com/aims-dev/aims/pkg/gap"
	"github.com/aims-dev/aims/pkg/output"
	"github.com/aims-dev/aims/pkg/workspace"
)

// AnalysisOptions are the flags of every command that runs the gap analysis.
type AnalysisOptions struct {
	AsOf string // --as-of YYYY-MM-DD
}

// now is "today" for date rules: --as-of, else the local date.
func (o *AnalysisOptions) now() (time.Time, error) {
	if o.AsOf == "" {
		return time.Now(), nil
	}
	t, err := time.Parse(time.DateOnly, o.AsOf)
	if err != nil {
		return time.Time{}, fmt.Errorf("--as-of %q: want a date as YYYY-MM-DD", o.AsOf)
	}
	return t, nil
}

// asOf is "today" for a workspace: --as-of, else the date of the commit
// read with --rev (what was true then), else the local date.
func (o *AnalysisOptions) asOf(ws *workspace.Workspace) (time.Time, error) {
	if o.AsOf == "" && ws.Source != nil && ws.Source.Rev != "" {
		return ws.Source.Commit.Committed, nil
	}
	return o.now()
}

// analyze runs the gap analysis over a loaded workspace.
func analyze(ws *workspace.Workspace, o *AnalysisOptions) (*gap.Result, error) {
	now, err := o.asOf(ws)
	if err != nil {
		return nil, err
	}
	opts := gap.Options{Now: now, Tiers: ws.Tiers, FileExists: ws.FileExists}
	if ws.Source != nil && ws.Source.Versioned {
		opts.Versioned = true
		opts.LastChanged = ws.Source.LastChanged
	}
	res := gap.Analyze(ws.Model, ws.Catalog, ws.Diags, opts)
	if err := ws.ReadErr(); err != nil {
		return nil, err // the analysis asked about files git could not read
	}
	return res, nil
}

// ruleMeta describes every rule for formats that carry rule metadata.
func ruleMeta() map[string]output.Rule {
	m := map[string]output.Rule{}
	for _, r := range gap.Rules() {
		m[r.ID] = output.Rule{ID: r.ID, Severity: r.Severity, Refs: r.Refs, Description: r.Title + ": " + r.Description}
	}
	return m
}
