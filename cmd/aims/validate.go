package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/gap"
	"github.com/aims-dev/aims/pkg/output"
)

// ValidateOptions are validate's flags.
type ValidateOptions struct {
	*GlobalOptions
	Streams
	Format string
}

// NewCmdValidate builds `aims validate`. runF replaces the run function in
// tests of flag parsing.
func NewCmdValidate(g *GlobalOptions, s Streams, runF func(*ValidateOptions) error) *cobra.Command {
	opts := &ValidateOptions{GlobalOptions: g, Streams: s}
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Check every document's schema and the references between documents",
		Long: `Validate checks every AIMS document against its JSON Schema and checks
references: unique ids, references to existing documents of the right kind,
clause and Annex A control ids in the catalog, evidence files that exist.

Every problem is printed as path:line:col: severity: message [RULE].
When an aims server keeps the AIMS in memory (aims server --help), it
validates, with the same output and exit code.
Exit 0 when there are no errors, 1 when there are, 2 when aims cannot run.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runValidate(opts)
		},
	}
	addFormatFlag(cmd, &opts.Format, "text", output.Formats(), "")
	g.addRevFlag(cmd)
	return cmd
}

func runValidate(opts *ValidateOptions) error {
	if _, err := output.New(opts.Format, io.Discard, output.Options{}); err != nil {
		return err // refuse a bad format before doing any work
	}
	ws, err := opts.openWorkspace()
	if err != nil {
		return err
	}
	defer ws.Close()
	oo := opts.outputOptions(ws, output.RuleIndex(gap.Rules()))
	oo.Quiet = opts.Quiet
	w, err := output.New(opts.Format, opts.Out, oo)
	if err != nil {
		return err
	}
	if err := output.WriteAll(w, ws.Diags, len(ws.Set.Docs)); err != nil {
		return err
	}
	if ws.Diags.Max() >= diag.Error {
		return errFindings
	}
	return nil
}
