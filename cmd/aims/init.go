package main

import (
	"cmp"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/aims-dev/aims/examples"
	"github.com/aims-dev/aims/pkg/scaffold"
	"github.com/aims-dev/aims/templates"
)

// InitOptions are init's flags.
type InitOptions struct {
	*GlobalOptions
	Streams
	Dir     string
	Example bool
}

// NewCmdInit builds `aims init`.
func NewCmdInit(g *GlobalOptions, s Streams, runF func(*InitOptions) error) *cobra.Command {
	opts := &InitOptions{GlobalOptions: g, Streams: s}
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Create a new AIMS from templates",
		Long: `Init writes a new AIMS into DIR (default: the current folder): a manifest,
scope, AI policy, roles, risk criteria and register, a Statement of
Applicability listing all 38 Annex A controls, an AI system, and the JSON
Schemas in .aims/schemas so editors check the files as you type.

The scaffold is valid but full of TODOs: aims counts nothing in it as met
until you fill them in. With --example it writes the complete example AIMS of
Northwind Lending instead.

It also writes .yamllint.yaml and .markdownlint.yaml, under which the scaffold
and aims's Markdown report pass yamllint and markdownlint; a folder's own
linter configs are kept.

Init never overwrites: if any other file it would write exists, it writes
nothing, lists the conflicts and exits 2.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Dir = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			return runInit(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Example, "example", false, "write the complete Northwind Lending example instead of the TODO scaffold")
	return cmd
}

func runInit(opts *InitOptions) error {
	base, err := opts.workDir()
	if err != nil {
		return err
	}
	target := base
	if opts.Dir != "" {
		target = opts.Dir
		if !filepath.IsAbs(target) {
			target = filepath.Join(base, target)
		}
	}

	src, err := fs.Sub(templates.Init, "init")
	if opts.Example {
		src, err = fs.Sub(examples.Northwind, "northwind")
	}
	if err != nil {
		return err
	}
	files, err := scaffold.Plan(src)
	if err != nil {
		return err
	}
	conflicts, kept, err := scaffold.Conflicts(target, files)
	if err != nil {
		return err
	}
	if len(conflicts) > 0 {
		fmt.Fprintf(opts.ErrOut, "aims init: these files already exist in %s:\n", target)
		for _, c := range conflicts {
			fmt.Fprintf(opts.ErrOut, "  %s\n", c)
		}
		return fmt.Errorf("nothing written: init never overwrites; choose an empty folder or move these files")
	}
	if err := scaffold.Write(target, files); err != nil {
		return fmt.Errorf("init: %w", err)
	}
	if opts.Quiet {
		return nil
	}
	rel := cmp.Or(opts.Dir, ".")
	fmt.Fprintf(opts.Out, "Created a new AIMS in %s (%d files).\n", rel, len(files)-len(kept))
	for _, k := range kept {
		fmt.Fprintf(opts.Out, "Kept your %s (the settings aims suggests are in its README, \"Editors, validators and linters\").\n", k)
	}
	if opts.Example {
		fmt.Fprintf(opts.Out, "Next: aims -C %s check\n", rel)
	} else {
		fmt.Fprintf(opts.Out, "Next: replace the TODOs, then run: aims -C %s gaps\n", rel)
	}
	return nil
}
