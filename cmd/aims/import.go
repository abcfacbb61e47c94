package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/aims-dev/aims/pkg/draft"
	"github.com/aims-dev/aims/pkg/modelcard"
	"github.com/aims-dev/aims/pkg/scaffold"
	"github.com/aims-dev/aims/pkg/workspace"
)

// ImportOptions are import modelcard's flags.
type ImportOptions struct {
	*GlobalOptions
	Streams
	AnalysisOptions
	Card   string
	System string
	DryRun bool
}

// NewCmdImport builds `aims import` and its subcommands.
func NewCmdImport(g *GlobalOptions, s Streams, runF func(*ImportOptions) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import",
		Short: "Turn what ML teams already have into draft AIMS documents",
		Args:  cobra.NoArgs,
	}
	opts := &ImportOptions{GlobalOptions: g, Streams: s}
	mc := &cobra.Command{
		Use:   "modelcard CARD",
		Short: "Draft an AISystem, Dataset stubs and results from a Hugging Face model card",
		Long: `Import modelcard reads a Hugging Face model card (README.md with YAML front
matter) and writes draft documents into this AIMS:

  - an AISystem: title, description, intended and out-of-scope uses,
    limitations, model type, licence and base model, tags and languages;
  - a Dataset stub for each dataset the card names (unless the AIMS has it);
  - the model-index evaluation results as aims-result/v1 files (performance
    and bias metrics apart) with an Evidence record for each.

What the card lacks is a TODO; what it says that has no AIMS field is kept
under the system's unmapped field and listed here, so nothing is lost.
Import never overwrites: if any file it would write exists it writes none.`,
		Example: `  aims import modelcard models/loan-default/README.md --system loan-default`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Card = args[0]
			if runF != nil {
				return runF(opts)
			}
			return runImportModelCard(opts)
		},
	}
	mc.Flags().StringVar(&opts.System, "system", "", "`ID` of the new AISystem (default: from the card's title)")
	mc.Flags().BoolVar(&opts.DryRun, "dry-run", false, "list the files and what is kept or left TODO, write nothing")
	mc.Flags().StringVar(&opts.AsOf, "as-of", "", "date the imported results `DATE` (YYYY-MM-DD) instead of today")
	cmd.AddCommand(mc)
	return cmd
}

func runImportModelCard(opts *ImportOptions) error {
	today, err := opts.now()
	if err != nil {
		return err
	}
	dir, err := opts.workDir()
	if err != nil {
		return err
	}
	cardPath := opts.Card
	if !filepath.IsAbs(cardPath) {
		cardPath = filepath.Join(dir, cardPath)
	}
	data, err := os.ReadFile(cardPath)
	if err != nil {
		return fmt.Errorf("model card: %w", err)
	}
	card, err := modelcard.Parse(opts.Card, data)
	if err != nil {
		return err
	}
	root, err := workspace.FindRoot(dir)
	if err != nil {
		return err
	}
	ws, err := workspace.OpenDir(root)
	if err != nil {
		return err
	}
	defer ws.Close()
	var tiers []string
	for t := range ws.Tiers {
		tiers = append(tiers, t)
	}
	slices.Sort(tiers)
	// model.card records the card relative to the AIMS root, like every
	// path in the AIMS, whichever folder the import ran from.
	ref := filepath.ToSlash(cardPath)
	if rel, err := filepath.Rel(root, cardPath); err == nil {
		ref = filepath.ToSlash(rel)
	}
	res, err := modelcard.Import(card, modelcard.Options{
		Model: ws.Model, SystemID: opts.System, Card: ref, Today: today, Tiers: tiers, SchemaDir: scaffold.SchemaDir,
		Exists: func(p string) bool {
			_, err := os.Lstat(filepath.Join(root, filepath.FromSlash(p)))
			return err == nil
		},
	})
	if err != nil {
		if err = opts.shownFrom(root, err); errors.As(err, new(*draft.IDInUseError)) {
			return fmt.Errorf("%w; choose the new system's id with --system", err)
		}
		return err
	}
	prefix := opts.displayPrefix(root)
	files := make([]scaffold.File, len(res.Files))
	for i, f := range res.Files {
		files[i] = scaffold.File{Name: f.Path, Data: f.Data}
	}
	verb := "wrote"
	if opts.DryRun {
		verb = "would write"
	} else {
		conflicts, _, err := scaffold.Conflicts(root, files)
		if err == nil && len(conflicts) == 0 {
			err = scaffold.Write(root, files)
		}
		if len(conflicts) > 0 {
			fmt.Fprintf(opts.ErrOut, "aims import: these files already exist in %s:\n", prefix)
			for _, c := range conflicts {
				fmt.Fprintf(opts.ErrOut, "  %s\n", c)
			}
			return fmt.Errorf("nothing written: import never overwrites; use --system to choose another id or move these files")
		}
		if err != nil {
			return fmt.Errorf("import %w", err)
		}
	}
	noun := "files"
	if len(files) == 1 {
		noun = "file"
	}
	fmt.Fprintf(opts.Out, "%s %d %s for AI system %s:\n", verb, len(files), noun, res.SystemID)
	for _, f := range files {
		fmt.Fprintf(opts.Out, "  %s\n", filepath.ToSlash(filepath.Join(prefix, f.Name)))
	}
	if len(res.Unmapped) > 0 {
		fmt.Fprintf(opts.ErrOut, "Kept under unmapped (no AIMS field for them):\n")
		for _, u := range res.Unmapped {
			fmt.Fprintf(opts.ErrOut, "  %s\n", u)
		}
	}
	if len(res.Empty) > 0 {
		fmt.Fprintf(opts.ErrOut, "Empty in the card: %s\n", strings.Join(res.Empty, ", "))
	}
	if len(res.TODO) > 0 {
		fmt.Fprintf(opts.ErrOut, "Left TODO: %s\n", strings.Join(res.TODO, ", "))
	}
	return nil
}
