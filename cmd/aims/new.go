package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/draft"
	"github.com/aims-dev/aims/pkg/scaffold"
	"github.com/aims-dev/aims/pkg/workspace"
)

// NewOptions are new's flags.
type NewOptions struct {
	*GlobalOptions
	Streams
	AnalysisOptions
	Kind   string
	ID     string
	Title  string
	DryRun bool
}

// NewCmdNew builds `aims new`.
func NewCmdNew(g *GlobalOptions, s Streams, runF func(*NewOptions) error) *cobra.Command {
	opts := &NewOptions{GlobalOptions: g, Streams: s}
	cmd := &cobra.Command{
		Use:   "new KIND [ID]",
		Short: "Write a new document of any kind from its template",
		Long: `New writes a new AIMS document of KIND (risk, aisystem, policy, evidence,
impact-assessment, ...) from its template, into the folder where documents of
that kind already live in this AIMS (else the conventional one), as ID.yaml
(ID.md for a policy). Without ID, one is made from --title or the kind.

The draft has the schema modeline for editors, TODOs where a person must
decide, and references (owner, system) filled with ids that exist in the
AIMS, so it validates at once; it counts as evidence only once the TODOs are
gone. New never overwrites: an id or file that exists is refused.`,
		Example: `  aims new risk --title "Chatbot gives wrong loan terms"
  aims new evidence ev-pentest-2026
  aims new policy --dry-run`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Kind = args[0]
			if len(args) == 2 {
				opts.ID = args[1]
			}
			if runF != nil {
				return runF(opts)
			}
			return runNew(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Title, "title", "", "the document's `TITLE` (also its id when no ID is given)")
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "print the document and where it would go instead of writing it")
	cmd.Flags().StringVar(&opts.AsOf, "as-of", "", "date the document `DATE` (YYYY-MM-DD) instead of today")
	return cmd
}

func runNew(opts *NewOptions) error {
	kind, err := draft.Lookup(opts.Kind)
	if err != nil {
		return err
	}
	today, err := opts.now()
	if err != nil {
		return err
	}
	dir, err := opts.workDir()
	if err != nil {
		return err
	}
	root, model, tiers := dir, (*aims.Model)(nil), []string(nil)
	if r, err := workspace.FindRoot(dir); err == nil {
		ws, err := workspace.OpenDir(r)
		if err != nil {
			return err
		}
		defer ws.Close()
		root, model = r, ws.Model
		for t := range ws.Tiers {
			tiers = append(tiers, t)
		}
		slices.Sort(tiers)
	} else if !errors.Is(err, workspace.ErrNoRoot) || kind.Name != "Manifest" {
		return err
	}
	f, err := draft.New(model, draft.Options{
		Kind: kind, ID: opts.ID, Title: opts.Title, Today: today, Tiers: tiers, SchemaDir: scaffold.SchemaDir,
		Exists: func(p string) bool {
			_, err := os.Lstat(filepath.Join(root, filepath.FromSlash(p)))
			return err == nil
		},
	})
	if err != nil {
		return opts.shownFrom(root, err)
	}
	shown := filepath.ToSlash(filepath.Join(opts.displayPrefix(root), f.Path))
	if opts.DryRun {
		fmt.Fprintf(opts.Out, "# would write %s\n%s", shown, f.Data)
		return nil
	}
	files := []scaffold.File{{Name: f.Path, Data: f.Data}}
	conflicts, _, err := scaffold.Conflicts(root, files)
	if err == nil && len(conflicts) == 0 {
		err = scaffold.Write(root, files)
	}
	if len(conflicts) > 0 {
		if kind.Name == "Manifest" {
			return fmt.Errorf("%s exists: new never overwrites", shown)
		}
		return fmt.Errorf("%s exists: new never overwrites; give another id", shown)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(opts.Out, "wrote %s\n", shown)
	fmt.Fprintf(opts.ErrOut, "Next: replace its TODOs; it counts as evidence only once they are gone.\n")
	if _, err := os.Stat(filepath.Join(root, scaffold.SchemaDir)); err != nil {
		fmt.Fprintf(opts.ErrOut, "Editor hints: export the schemas its first line points at with: aims schema --out %s\n",
			filepath.ToSlash(filepath.Join(opts.displayPrefix(root), scaffold.SchemaDir)))
	}
	return nil
}

// shownFrom rewrites the position in an id-in-use error so it can be opened
// from where the user ran aims, like every other path aims prints.
func (g *GlobalOptions) shownFrom(root string, err error) error {
	var inUse *draft.IDInUseError
	if errors.As(err, &inUse) && inUse.Pos.IsValid() {
		e := *inUse
		e.Pos.File = filepath.ToSlash(filepath.Join(g.displayPrefix(root), e.Pos.File))
		return &e
	}
	return err
}
