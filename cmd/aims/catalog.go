package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

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
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output `format`: text or json")
	return cmd
}

func runCatalog(opts *CatalogOptions) error {
	cat := catalog.ISO42001()
	switch opts.Format {
	case "json":
		type entry struct {
			ID     string `json:"id"`
			Kind   string `json:"kind"`
			Title  string `json:"title"`
			Parent string `json:"parent"`
		}
		var out []entry
		for _, e := range cat.Requirements() {
			out = append(out, entry{e.ID, string(e.Kind), e.Title, e.Parent})
		}
		enc := json.NewEncoder(opts.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	case "text":
		tw := tabwriter.NewWriter(opts.Out, 0, 4, 2, ' ', 0)
		for _, g := range cat.Of(catalog.Group) {
			fmt.Fprintf(tw, "%s\t%s\n", g.ID, g.Title)
			for _, e := range cat.Children(g.ID) {
				fmt.Fprintf(tw, "  %s\t%s\n", e.ID, e.Title)
			}
		}
		return tw.Flush()
	}
	return fmt.Errorf("unknown format %q (want text or json)", opts.Format)
}
