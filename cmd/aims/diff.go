package main

import (
	"github.com/spf13/cobra"

	"github.com/aims-dev/aims/pkg/diff"
	"github.com/aims-dev/aims/pkg/workspace"
)

// DiffOptions are diff's flags.
type DiffOptions struct {
	*GlobalOptions
	Streams
	AnalysisOptions
	From, To         string
	Format           string
	FailOnRegression bool
}

// NewCmdDiff builds `aims diff`.
func NewCmdDiff(g *GlobalOptions, s Streams, runF func(*DiffOptions) error) *cobra.Command {
	opts := &DiffOptions{GlobalOptions: g, Streams: s}
	cmd := &cobra.Command{
		Use:   "diff REV1 [REV2]",
		Short: "Show what changed in the AIMS between two revisions (e.g. since the last audit)",
		Long: `Diff compares the AIMS at REV1 with REV2 (default: the working tree) and
reports what changed in substance, not in text: requirements whose status
changed, risks added, removed or re-scored, Statement of Applicability
changes, evidence added, removed or expired, nonconformities opened or closed,
AI systems added, removed or re-tiered.

Each revision is evaluated as of its commit date, the working tree as of
today; --as-of sets the date of the second side.

With --fail-on-regression it exits 1 when any requirement got worse: a gate
for pull requests.`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.From = args[0]
			if len(args) == 2 {
				opts.To = args[1]
			}
			if runF != nil {
				return runF(opts)
			}
			return runDiff(opts)
		},
	}
	addFormatFlag(cmd, &opts.Format, "text", diff.Formats(), "")
	cmd.Flags().BoolVar(&opts.FailOnRegression, "fail-on-regression", false, "exit 1 when a requirement's status got worse")
	cmd.Flags().StringVar(&opts.AsOf, "as-of", "", "evaluate the second side as of `DATE` (YYYY-MM-DD)")
	return cmd
}

func runDiff(opts *DiffOptions) error {
	write, err := diff.New(opts.Format)
	if err != nil {
		return err
	}
	if _, err := opts.now(); err != nil {
		return err
	}
	dir, err := opts.workDir()
	if err != nil {
		return err
	}
	from, err := diffSide(opts.GlobalOptions, dir, opts.From, &AnalysisOptions{})
	if err != nil {
		return err
	}
	to, err := diffSide(opts.GlobalOptions, dir, opts.To, &opts.AnalysisOptions)
	if err != nil {
		return err
	}
	res := diff.Compare(from, to)
	if err := write(opts.Out, res); err != nil {
		return err
	}
	if opts.FailOnRegression && len(res.Regressions()) > 0 {
		return errFindings
	}
	return nil
}

func diffSide(g *GlobalOptions, dir, rev string, ao *AnalysisOptions) (diff.Side, error) {
	lim, err := limitsFromEnv(g.getenv)
	if err != nil {
		return diff.Side{}, err
	}
	ws, err := workspace.OpenAt(dir, rev, workspace.WithLimits(lim))
	if err != nil {
		return diff.Side{}, err
	}
	defer ws.Close()
	res, err := analyze(ws, ao)
	if err != nil {
		return diff.Side{}, err
	}
	return diff.Side{Label: ws.Source.Label(), Model: ws.Model, Gap: res}, nil
}
