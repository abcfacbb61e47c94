package main

import (
	"github.com/spf13/cobra"

	"github.com/aims-dev/aims/pkg/gap"
	"github.com/aims-dev/aims/pkg/output"
)

// RulesOptions are rules' flags.
type RulesOptions struct {
	Streams
	Format string
}

// NewCmdRules builds `aims rules`.
func NewCmdRules(s Streams, runF func(*RulesOptions) error) *cobra.Command {
	opts := &RulesOptions{Streams: s}
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List every rule: id, severity, the requirements it protects",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runRules(opts)
		},
	}
	addFormatFlag(cmd, &opts.Format, "text", output.RulesFormats(), "")
	return cmd
}

func runRules(opts *RulesOptions) error {
	write, err := output.NewRules(opts.Format)
	if err != nil {
		return err
	}
	return write(opts.Out, gap.Rules())
}
