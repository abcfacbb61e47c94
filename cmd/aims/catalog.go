package main

import (
	"github.com/spf13/cobra"

	"github.com/aims-dev/aims/pkg/catalog"
	"github.com/aims-dev/aims/pkg/registry"
)

// CatalogOptions are catalog's flags.
type CatalogOptions struct {
	Streams
	Format    string
	Framework string
}

// NewCmdCatalog builds `aims catalog`.
func NewCmdCatalog(s Streams, runF func(*CatalogOptions) error) *cobra.Command {
	opts := &CatalogOptions{Streams: s}
	cmd := &cobra.Command{
		Use:   "catalog",
		Short: "List the ids of a framework aims knows (ISO/IEC 42001 by default)",
		Long: `Catalog lists the 32 clause requirements and 38 Annex A controls of
ISO/IEC 42001:2023 with their ids and aims' own short titles (the standard's
text is copyrighted and not included). --framework lists another framework's
items instead: the NIST AI RMF subcategories, the EU AI Act articles aims
maps, ISO/IEC 27001's clauses and the Annex A controls it pairs with
ISO/IEC 42001, ISO 9001's clauses or ISO 31000's risk management process.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runCatalog(opts)
		},
	}
	addFormatFlag(cmd, &opts.Format, "text", catalog.Formats(), "")
	addFrameworkFlag(cmd, &opts.Framework, catalog.Frameworks())
	return cmd
}

func runCatalog(opts *CatalogOptions) error {
	write, err := catalog.NewWriter(opts.Format)
	if err != nil {
		return err
	}
	c, err := catalog.Framework(opts.Framework)
	if err != nil {
		return err
	}
	return write(opts.Out, c)
}

// addFrameworkFlag adds --framework with the given frameworks as its values
// and completions; ISO/IEC 42001 is the default.
func addFrameworkFlag(cmd *cobra.Command, p *string, frameworks []string) {
	cmd.Flags().StringVar(p, "framework", catalog.ISO42001ID, "`framework`: "+registry.Alternatives(frameworks))
	_ = cmd.RegisterFlagCompletionFunc("framework", cobra.FixedCompletions(frameworks, cobra.ShellCompDirectiveNoFileComp))
}
