package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/spf13/cobra"

	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/gap"
	"github.com/aims-dev/aims/pkg/output"
)

// CheckOptions are check's flags.
type CheckOptions struct {
	*GlobalOptions
	Streams
	AnalysisOptions
	Format string
	FailOn string
	Files  []string
}

// NewCmdCheck builds `aims check`.
func NewCmdCheck(g *GlobalOptions, s Streams, runF func(*CheckOptions) error) *cobra.Command {
	opts := &CheckOptions{GlobalOptions: g, Streams: s}
	cmd := &cobra.Command{
		Use:   "check [FILE...]",
		Short: "Validate the AIMS and run every gap rule, for pre-commit and CI",
		Long: `Check validates every document and runs every gap rule in one pass.

With FILE arguments (as pre-commit passes the changed files) the whole AIMS is
still loaded so references resolve, but only findings in those files and
findings about the AIMS as a whole are reported.

When an aims server keeps the AIMS in memory (aims server --help), it runs
the check, with the same output and exit code; AIMS_SERVER=off never asks one,
AIMS_SERVER=auto starts one after a check that took more than 0.2 s.

Exit 0 when no finding reaches --fail-on, 1 when one does, 2 when aims cannot
run (bad flags, no AIMS, no documents).`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			if runF != nil {
				return runF(opts)
			}
			return runCheck(opts)
		},
	}
	addFormatFlag(cmd, &opts.Format, "text", output.Formats(), "")
	cmd.Flags().StringVar(&opts.FailOn, "fail-on", "error", "exit 1 when a finding is at least this `severity`: error, warning or never")
	cmd.Flags().StringVar(&opts.AsOf, "as-of", "", "evaluate date rules as of `DATE` (YYYY-MM-DD) instead of today")
	g.addRevFlag(cmd)
	return cmd
}

func failThreshold(s string) (diag.Severity, error) {
	switch s {
	case "error":
		return diag.Error, nil
	case "warning":
		return diag.Warning, nil
	case "never":
		return diag.Error + 1, nil
	}
	return 0, fmt.Errorf("--fail-on %q: want error, warning or never", s)
}

func runCheck(opts *CheckOptions) error {
	failOn, err := failThreshold(opts.FailOn)
	if err != nil {
		return err
	}
	if _, err := output.New(opts.Format, io.Discard, output.Options{}); err != nil {
		return err
	}
	if _, err := opts.now(); err != nil {
		return err
	}
	ws, files, err := opts.openWorkspaceFor(opts.Files)
	if errors.Is(err, errNoAIMSFiles) {
		// pre-commit with only non-AIMS files changed: a clean run, written
		// in the format asked for so CI readers still get valid output.
		if opts.Format != "text" {
			w, err := output.New(opts.Format, opts.Out, output.Options{Version: toolVersion()})
			if err != nil {
				return err
			}
			return output.WriteAll(w, nil, 0)
		}
		if !opts.Quiet {
			_, err = fmt.Fprintln(opts.Out, "no file given is inside an AIMS: nothing to check")
		}
		return err
	}
	if err != nil {
		return err
	}
	defer ws.Close()
	if len(ws.Set.Docs) <= 1 {
		if err := ws.Linked(); err != nil {
			return err
		}
	}
	if len(ws.Set.Docs) <= 1 && ws.Diags.Max() < diag.Error {
		return fmt.Errorf("no AIMS documents found in %s besides aims.yaml (check documents.include and documents.exclude)", opts.displayPrefix(ws.Root))
	}
	res, err := analyze(ws, &opts.AnalysisOptions)
	if err != nil {
		return err
	}
	all := append(slices.Clone(ws.Diags), res.Findings...)
	all.Sort()
	if profPoint != nil {
		profPoint(ws, res)
	}
	if len(opts.Files) > 0 {
		all = ws.OnlyFiles(all, files)
	}
	oo := opts.outputOptions(ws, output.RuleIndex(gap.Rules()))
	oo.Quiet = opts.Quiet
	if name := opts.getenv("GITHUB_STEP_SUMMARY"); name != "" && opts.Format == "github" {
		// In GitHub Actions: every finding in the job summary too, since
		// annotations stop at 10 per level.
		f, err := os.OpenFile(name, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return fmt.Errorf("job summary: %w", err)
		}
		defer f.Close()
		oo.Summary = f
	}
	w, err := output.New(opts.Format, opts.Out, oo)
	if err != nil {
		return err
	}
	if err := output.WriteAll(w, all, len(ws.Set.Docs)); err != nil {
		return err
	}
	if all.Max() >= failOn {
		return errFindings
	}
	return nil
}
