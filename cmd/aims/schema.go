package main

import (
	"fmt"
	"io/fs"
	"strings"

	"github.com/spf13/cobra"

	"github.com/aims-dev/aims/pkg/scaffold"
	"github.com/aims-dev/aims/schemas"
)

// SchemaOptions are schema's flags.
type SchemaOptions struct {
	Streams
	OutDir string
	Kind   string
}

// NewCmdSchema builds `aims schema`.
func NewCmdSchema(s Streams, runF func(*SchemaOptions) error) *cobra.Command {
	opts := &SchemaOptions{Streams: s}
	cmd := &cobra.Command{
		Use:   "schema [KIND]",
		Short: "Print or export the JSON Schemas of AIMS documents",
		Long: `Schema prints the JSON Schema of one document kind (e.g. Risk), or of any
document when no kind is given. With --out it writes every schema file to a
folder, for editors: add a first line such as

  # yaml-language-server: $schema=.aims/schemas/risk.schema.json

to a YAML file (aims init does this for you).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Kind = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			return runSchema(opts)
		},
	}
	cmd.Flags().StringVar(&opts.OutDir, "out", "", "write every schema file into `DIR`")
	return cmd
}

func runSchema(opts *SchemaOptions) error {
	if opts.OutDir != "" {
		n, err := scaffold.ExportSchemas(opts.OutDir)
		if err != nil {
			return err
		}
		fmt.Fprintf(opts.Out, "wrote %d schema files to %s\n", n, opts.OutDir)
		return nil
	}
	name := "aims.schema.json"
	if opts.Kind != "" {
		name = strings.ToLower(opts.Kind) + ".schema.json"
	}
	b, err := fs.ReadFile(schemas.FS, name)
	if err != nil {
		return fmt.Errorf("no schema for kind %q (see `aims schema` for the kinds)", opts.Kind)
	}
	_, err = opts.Out.Write(b)
	return err
}
