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

// analyze runs the gap analysis over a loaded workspace.
func analyze(ws *workspace.Workspace, o *AnalysisOptions) (*gap.Result, error) {
	now, err := o.now()
	if err != nil {
		return nil, err
	}
	return gap.Analyze(ws.Model, ws.Catalog, ws.Diags, gap.Options{Now: now, Tiers: ws.Tiers}), nil
}

// ruleMeta describes every rule for formats that carry rule metadata.
func ruleMeta() map[string]output.Rule {
	m := map[string]output.Rule{}
	for _, r := range gap.Rules() {
		m[r.ID] = output.Rule{ID: r.ID, Severity: r.Severity, Refs: r.Refs, Description: r.Title + ": " + r.Description}
	}
	return m
}
