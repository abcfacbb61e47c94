package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/aims-dev/aims/pkg/file"
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
		n, err := exportSchemas(opts.OutDir)
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

// exportSchemas writes the schema files into dir. They are generated
// artifacts that belong to aims, so an older export is replaced; any other
// file in dir is left alone.
func exportSchemas(dir string) (int, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, fmt.Errorf("export schemas: %w", err)
	}
	files, err := scaffold.Schemas()
	if err != nil {
		return 0, err
	}
	for _, f := range files {
		if err := file.Write(filepath.Join(dir, f.Name), f.Data); err != nil {
			return 0, fmt.Errorf("export schemas: %w", err)
		}
	}
	return len(files), nil
}
