package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/aims-dev/aims/pkg/catalog"
	"github.com/aims-dev/aims/pkg/gap"
	"github.com/aims-dev/aims/pkg/output"
)

// ExplainOptions are explain's arguments.
type ExplainOptions struct {
	Streams
	Rule string
}

// NewCmdExplain builds `aims explain RULE-ID`.
func NewCmdExplain(s Streams, runF func(*ExplainOptions) error) *cobra.Command {
	opts := &ExplainOptions{Streams: s}
	cmd := &cobra.Command{
		Use:   "explain RULE-ID",
		Short: "Explain a rule: what it checks, the clauses it protects, why it matters, how to fix it",
		Example: `  aims explain AIMS-G020
  aims explain g020`,
		Args: cobra.ExactArgs(1),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			var ids []string
			for _, r := range gap.Rules() {
				ids = append(ids, r.ID+"\t"+r.Title)
			}
			return ids, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Rule = args[0]
			if runF != nil {
				return runF(opts)
			}
			return runExplain(opts)
		},
	}
	return cmd
}

func runExplain(opts *ExplainOptions) error {
	id := strings.ToUpper(opts.Rule)
	if !strings.HasPrefix(id, "AIMS-") {
		id = "AIMS-" + id
	}
	r, ok := gap.LookupRule(id)
	if !ok {
		return output.UnknownRule(id, gap.Rules())
	}
	return output.Explain(opts.Out, r, catalog.ISO42001())
}
