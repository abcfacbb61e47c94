package main

import (
	"github.com/spf13/cobra"

	"github.com/aims-dev/aims/pkg/catalog"
)

// CatalogOptions are catalog's flags.
type CatalogOptions struct {
	Streams
	Format string
}

// NewCmdCatalog builds `aims catalog`.
func NewCmdCatalog(s Streams, runF func(*CatalogOptions) error) *cobra.Command {
	opts := &CatalogOptions{Streams: s}
	cmd := &cobra.Command{
		Use:   "catalog",
		Short: "List the ISO/IEC 42001 clauses and Annex A controls aims knows",
		Long: `Catalog lists the 32 clause requirements and 38 Annex A controls of
ISO/IEC 42001:2023 with their ids and aims' own short titles (the standard's
text is copyrighted and not included).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runCatalog(opts)
		},
	}
	addFormatFlag(cmd, &opts.Format, "text", catalog.Formats(), "")
	return cmd
}

func runCatalog(opts *CatalogOptions) error {
	write, err := catalog.NewWriter(opts.Format)
	if err != nil {
		return err
	}
	return write(opts.Out, catalog.ISO42001())
}
