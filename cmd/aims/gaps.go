package main

import (
	"github.com/spf13/cobra"

	"github.com/aims-dev/aims/pkg/catalog"
	"github.com/aims-dev/aims/pkg/gap"
	"github.com/aims-dev/aims/pkg/output"
	"github.com/aims-dev/aims/pkg/workspace"
)

// GapsOptions are gaps' flags.
type GapsOptions struct {
	*GlobalOptions
	Streams
	AnalysisOptions
	Format    string
	Framework string
}

// NewCmdGaps builds `aims gaps`.
func NewCmdGaps(g *GlobalOptions, s Streams, runF func(*GapsOptions) error) *cobra.Command {
	opts := &GapsOptions{GlobalOptions: g, Streams: s}
	cmd := &cobra.Command{
		Use:   "gaps",
		Short: "Show every requirement's status and a prioritised roadmap",
		Long: `Gaps lists the 32 clause requirements and 38 Annex A controls with their
status (met, partial, missing or excluded), the evidence behind each and the
reasons for anything short of met, then a roadmap: what blocks certification
first, then the rest by implementation phase.

--framework shows another framework instead, each item with a status derived
from the ISO/IEC 42001 requirements mapped to it (met only when every one of
them is met), the mapping's type and source, and which requirements are not
met; the EU AI Act per AI system, from its eu_ai_act.class and role.

Exit 0 whatever the gaps: use aims check as a gate.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runGaps(opts)
		},
	}
	addFormatFlag(cmd, &opts.Format, "text", output.GapsFormats(), "")
	addFrameworkFlag(cmd, &opts.Framework, catalog.Frameworks())
	cmd.Flags().StringVar(&opts.AsOf, "as-of", "", "evaluate date rules as of `DATE` (YYYY-MM-DD) instead of today")
	g.addRevFlag(cmd)
	return cmd
}

func runGaps(opts *GapsOptions) error {
	// Another framework's view is derived from the same analysis.
	framework := opts.Framework != "" && opts.Framework != catalog.ISO42001ID
	var write func(*workspace.Workspace, *gap.Result) error
	if framework {
		w, err := output.NewFramework(opts.Format)
		if err != nil {
			return err
		}
		if _, err := catalog.Framework(opts.Framework); err != nil {
			return err
		}
		write = func(ws *workspace.Workspace, res *gap.Result) error {
			v, err := gap.Derive(res, ws.Model, opts.Framework)
			if err != nil {
				return err
			}
			return w(opts.Out, v)
		}
	} else {
		w, err := output.NewGaps(opts.Format)
		if err != nil {
			return err
		}
		write = func(ws *workspace.Workspace, res *gap.Result) error { return w(opts.Out, res, ws.Catalog) }
	}
	if _, err := opts.now(); err != nil {
		return err
	}
	ws, err := opts.openWorkspace()
	if err != nil {
		return err
	}
	defer ws.Close()
	res, err := analyze(ws, &opts.AnalysisOptions)
	if err != nil {
		return err
	}
	return write(ws, res)
}
