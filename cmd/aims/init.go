package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/aims-dev/aims/examples"
	"github.com/aims-dev/aims/schemas"
	"github.com/aims-dev/aims/templates"
)

// InitOptions are init's flags.
type InitOptions struct {
	*GlobalOptions
	Streams
	Dir     string
	Example bool
}

// schemaDir is where init exports the JSON Schemas, relative to the AIMS root.
const schemaDir = ".aims/schemas"

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

type plannedFile struct {
	name string // slash path relative to the target
	data []byte
	// optional files (linter configs such as .yamllint.yaml) are left alone
	// when the folder has its own: they are suggestions, not the AIMS.
	optional bool
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
	if err != nil {
		return err
	}
	if opts.Example {
		src, err = fs.Sub(examples.Northwind, "northwind")
		if err != nil {
			return err
		}
	}
	files, err := plan(src)
	if err != nil {
		return err
	}

	written, kept, conflicts, err := writeNew(target, files)
	if len(conflicts) > 0 {
		fmt.Fprintf(opts.ErrOut, "aims init: these files already exist in %s:\n", target)
		for _, c := range conflicts {
			fmt.Fprintf(opts.ErrOut, "  %s\n", c)
		}
		return fmt.Errorf("nothing written: init never overwrites; choose an empty folder or move these files")
	}
	if err != nil {
		return fmt.Errorf("init %w", err)
	}
	rel := opts.Dir
	if rel == "" {
		rel = "."
	}
	if opts.Quiet {
		return nil
	}
	fmt.Fprintf(opts.Out, "Created a new AIMS in %s (%d files).\n", rel, len(written))
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

// writeNew writes files under target, all or nothing and never
// overwriting: if any of them exists it writes none and returns the
// existing ones as conflicts. init, new and import write through it.
func writeNew(target string, files []plannedFile) (written, kept, conflicts []string, err error) {
	// Check every file before writing any: all or nothing. An optional file
	// that exists (a linter config of the user's) is kept, not a conflict.
	for _, f := range files {
		if _, err := os.Lstat(filepath.Join(target, filepath.FromSlash(f.name))); err == nil {
			if f.optional {
				kept = append(kept, f.name)
				continue
			}
			conflicts = append(conflicts, f.name)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, nil, nil, err
		}
	}
	if len(conflicts) > 0 {
		return nil, nil, conflicts, nil
	}
	for _, f := range files {
		if slices.Contains(kept, f.name) {
			continue
		}
		name := filepath.Join(target, filepath.FromSlash(f.name))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return written, kept, nil, err
		}
		// O_EXCL: if a file appeared since the check, fail rather than overwrite it.
		fh, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return written, kept, nil, fmt.Errorf("stopped after %d files: %w", len(written), err)
		}
		_, werr := fh.Write(f.data)
		if cerr := fh.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return written, kept, nil, fmt.Errorf("stopped after %d files: %w", len(written), werr)
		}
		written = append(written, f.name)
	}
	return written, kept, nil, nil
}

// plan lists the files to write: the scaffold with $SCHEMAS resolved per
// file, then the exported schemas.
func plan(src fs.FS) ([]plannedFile, error) {
	var files []plannedFile
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(src, p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(path.Dir(p), schemaDir)
		b = []byte(strings.ReplaceAll(string(b), "$SCHEMAS", filepath.ToSlash(rel)))
		// Linter configs at the top of the scaffold are optional.
		files = append(files, plannedFile{name: p, data: b, optional: !strings.Contains(p, "/") && strings.HasPrefix(p, ".")})
		return nil
	})
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(schemas.FS, "*.schema.json")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		b, err := fs.ReadFile(schemas.FS, n)
		if err != nil {
			return nil, err
		}
		files = append(files, plannedFile{name: path.Join(schemaDir, n), data: b})
	}
	return files, nil
}
