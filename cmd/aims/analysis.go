package main

import (
	"cmp"
	"fmt"
	"time"

	"github.com/aims-dev/aims/pkg/diag"
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
	opts := gap.Options{Now: now, Tiers: ws.Tiers, FileExists: ws.FileExists, Digest: ws.FileDigest}
	if ws.Source != nil && ws.Source.Versioned {
		opts.Versioned = true
		opts.LastChanged = ws.Source.LastChanged
		// Document control is judged in git (G097, G098): what the history
		// says about each approval is gap input, computed once.
		if opts.Approvals, err = ws.Approvals(); err != nil {
			return nil, err
		}
	}
	// References may still be checked (workspace.LinkLater): the rules
	// run meanwhile, and judge the statuses once they are.
	var linkErr error
	opts.Prior = func() diag.List {
		linkErr = ws.Linked()
		return ws.Diags
	}
	res := gap.Analyze(ws.Model, ws.Catalog, ws.Diags, opts)
	if linkErr != nil {
		return nil, linkErr
	}
	if err := ws.ReadErr(); err != nil {
		return nil, err // the analysis asked about files git could not read
	}
	return res, nil
}

// outputOptions places findings for people (paths from where aims was
// started) and for CI (paths from the repository root, findings named by
// document and field).
func (g *GlobalOptions) outputOptions(ws *workspace.Workspace, rules map[string]output.Rule) output.Options {
	o := output.Options{Prefix: g.displayPrefix(ws.Root), Rules: rules, Version: toolVersion()}
	if ws.Source != nil && ws.Source.Versioned {
		o.RepoPrefix = cmp.Or(ws.Source.Prefix, ".")
	}
	o.Locate = func(p diag.Pos) (string, string) {
		d := ws.Set.DocumentAt(p)
		if d == nil || d.ID == "" {
			return "", ""
		}
		field, _ := d.PointerAt(p)
		return d.Kind + "/" + d.ID, field
	}
	return o
}
