package main

import (
	"regexp"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/aims-dev/aims/pkg/schema"
	"github.com/aims-dev/aims/pkg/vcs"
)

// Shell completion of flag values and arguments (aims completion bash|zsh|
// fish|powershell prints the script; cobra adds that command).

// completeWords completes a flag from a fixed list.
func completeWords(words ...string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return cobra.FixedCompletions(words, cobra.ShellCompDirectiveNoFileComp)
}

// completeRevs completes --rev and diff's revisions from the branches and
// tags of the repository around -C (or the current folder).
func (g *GlobalOptions) completeRevs(cmd *cobra.Command, args []string, prefix string) ([]string, cobra.ShellCompDirective) {
	dir, err := g.workDir()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	repo, err := vcs.Open(dir)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	defer repo.Close()
	refs, err := repo.Refs()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	refs = append([]string{"HEAD"}, refs...)
	return slices.DeleteFunc(refs, func(r string) bool { return !strings.HasPrefix(r, prefix) }), cobra.ShellCompDirectiveNoFileComp
}

// completeKinds completes aims schema KIND.
func completeKinds(cmd *cobra.Command, args []string, prefix string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	v, err := schema.New()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return v.Kinds(), cobra.ShellCompDirectiveNoFileComp
}

// choices reads the values a flag's help lists: "output `format`: text,
// json or md" completes text, json and md. The help is the one place the
// values are written, so completion cannot drift from it.
var choices = regexp.MustCompile("`[^`]+`: ([a-z0-9-]+(?:, [a-z0-9-]+)*(?:,? or [a-z0-9-]+)?)")

func flagChoices(usage string) []string {
	m := choices.FindStringSubmatch(usage)
	if m == nil {
		return nil
	}
	return strings.FieldsFunc(strings.ReplaceAll(m[1], " or ", ","), func(r rune) bool { return r == ',' || r == ' ' })
}

// registerCompletions walks the command tree once it is built: flags that
// list their values complete them, --rev and diff's arguments complete
// revisions, aims schema completes kinds.
func registerCompletions(root *cobra.Command, g *GlobalOptions) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.LocalNonPersistentFlags().VisitAll(func(f *pflag.Flag) {
			switch words := flagChoices(f.Usage); {
			case f.Name == "rev":
				_ = c.RegisterFlagCompletionFunc(f.Name, g.completeRevs)
			case len(words) > 0:
				_ = c.RegisterFlagCompletionFunc(f.Name, completeWords(words...))
			}
		})
		switch c.Name() {
		case "diff":
			c.ValidArgsFunction = func(cmd *cobra.Command, args []string, prefix string) ([]string, cobra.ShellCompDirective) {
				if len(args) >= 2 {
					return nil, cobra.ShellCompDirectiveNoFileComp
				}
				return g.completeRevs(cmd, args, prefix)
			}
		case "schema":
			c.ValidArgsFunction = completeKinds
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}
