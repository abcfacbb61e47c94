package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/aims-dev/aims/pkg/cache"
	"github.com/aims-dev/aims/pkg/load"
	"github.com/aims-dev/aims/pkg/registry"
	"github.com/aims-dev/aims/pkg/workspace"
)

// GlobalOptions are the flags every command shares.
type GlobalOptions struct {
	Dir string // -C: run as if started in this folder
	Rev string // --rev: read the AIMS from this git revision
	// Quiet (-q): findings only; no summary or "wrote" lines.
	Quiet bool
	// NoCache (--no-cache): parse and validate every file, reading and
	// writing no cache.
	NoCache bool

	// Set when an aims server runs the command for a client (server.go):
	// the client's working folder and environment, and the AIMS the
	// server keeps in memory.
	cwd      string
	environ  map[string]string
	resident *workspace.Resident
}

// getenv is the environment variable name of the process, or of the
// client a server runs the command for.
func (g *GlobalOptions) getenv(name string) string {
	if g.environ != nil {
		return g.environ[name]
	}
	return os.Getenv(name)
}

// getwd is the folder the command was started in.
func (g *GlobalOptions) getwd() (string, error) {
	if g.cwd != "" {
		return g.cwd, nil
	}
	return os.Getwd()
}

// cacheOption is where the workspace keeps parses between runs: the user's
// cache folder or $AIMS_CACHE_DIR, unless --no-cache.
func (g *GlobalOptions) cacheOption() workspace.Option {
	if g.NoCache {
		return workspace.WithCache(nil)
	}
	return workspace.WithCache(cache.Open(cache.Dir()))
}

// addRevFlag registers --rev on commands that read the AIMS.
func (g *GlobalOptions) addRevFlag(cmd *cobra.Command) {
	cmd.Flags().StringVar(&g.Rev, "rev", "", "read the AIMS from git revision `REF` (tag, branch, hash, HEAD~3) instead of the working tree")
}

// addFormatFlag registers --format: the registry's names in the help and
// in shell completion. The registry's constructor refuses any other name.
func addFormatFlag(cmd *cobra.Command, p *string, def string, formats []string, note string) {
	cmd.Flags().StringVar(p, "format", def, "output `format`: "+registry.Alternatives(formats)+note)
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(formats, cobra.ShellCompDirectiveNoFileComp))
}

// version is set by the linker (-X main.version=...) in releases.
var version = ""

func toolVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// NewCmdRoot builds the command tree.
func NewCmdRoot(s Streams) *cobra.Command { return newCmdRoot(s, &GlobalOptions{}) }

// newCmdRoot builds the command tree around g, which a server fills with
// its client's working folder and environment.
func newCmdRoot(s Streams, g *GlobalOptions) *cobra.Command {
	root := &cobra.Command{
		Use:   "aims",
		Short: "ISO/IEC 42001 AI management system as code",
		Long: `aims keeps an ISO/IEC 42001:2023 AI management system (AIMS) as YAML and
Markdown in a git repository: it validates the documents, links evidence to
clauses and Annex A controls, finds the gaps an auditor would find and renders
the conformance report.

Exit codes: 0 clean, 1 problems found, 2 usage or operational error.`,
		Version:       toolVersion(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(s.Out)
	root.SetErr(s.ErrOut)
	root.PersistentFlags().StringVarP(&g.Dir, "directory", "C", "", "run as if aims was started in `DIR`")
	root.PersistentFlags().BoolVarP(&g.Quiet, "quiet", "q", false, "print findings only: no summary or progress lines")
	root.PersistentFlags().BoolVar(&g.NoCache, "no-cache", false, "parse and validate every file again: no cache of earlier runs is read or written (default cache: $"+cache.EnvDir+", else aims in the user cache folder)")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return fmt.Errorf("%w\nRun '%s --help' for usage.", err, c.CommandPath())
	})
	root.AddCommand(
		NewCmdValidate(g, s, nil),
		NewCmdCheck(g, s, nil),
		NewCmdGaps(g, s, nil),
		NewCmdReport(g, s, nil),
		NewCmdRules(s, nil),
		NewCmdExplain(s, nil),
		NewCmdDiff(g, s, nil),
		NewCmdCatalog(s, nil),
		NewCmdInit(g, s, nil),
		NewCmdSchema(s, nil),
		NewCmdNew(g, s, nil),
		NewCmdImport(g, s, nil),
		NewCmdExport(g, s, nil),
		NewCmdVersion(s, nil),
		NewCmdServer(g, s),
	)
	registerCompletions(root, g)
	return root
}

// workDir is the folder commands start from.
func (g *GlobalOptions) workDir() (string, error) {
	cwd, err := g.getwd()
	if g.Dir == "" || err != nil {
		return cwd, err
	}
	dir := g.Dir
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(cwd, dir)
	}
	st, err := os.Stat(dir)
	if err != nil {
		if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
			err = &fs.PathError{Op: pe.Op, Path: g.Dir, Err: pe.Err} // as given, wherever the command runs
		}
		return "", fmt.Errorf("-C %s: %w", g.Dir, err)
	}
	if !st.IsDir() {
		return "", fmt.Errorf("-C %s: not a folder", g.Dir)
	}
	return filepath.Clean(dir), nil
}

// displayPrefix is how the AIMS root is written before file paths, so a
// path in a message can be pasted into a shell or opened by an editor from
// where the user ran the command.
func (g *GlobalOptions) displayPrefix(root string) string {
	cwd, err := g.getwd()
	if err != nil {
		return root
	}
	rel, err := filepath.Rel(cwd, root)
	if err != nil {
		return root
	}
	return filepath.ToSlash(rel)
}

// openWorkspace finds the AIMS from the work dir and loads it, from the
// working tree or from --rev. Callers Close it.
func (g *GlobalOptions) openWorkspace() (*workspace.Workspace, error) {
	dir, err := g.workDir()
	if err != nil {
		return nil, err
	}
	lim, err := limitsFromEnv(g.getenv)
	if err != nil {
		return nil, err
	}
	if g.resident != nil {
		return g.residentOpen(dir, nil, workspace.WithLimits(lim), workspace.Lean())
	}
	return workspace.OpenAt(dir, g.Rev, g.cacheOption(), workspace.WithLimits(lim), workspace.Lean(), workspace.OnParse(gc.fileParsed, gc.found))
}

// errNoAIMSFiles means none of the files given is inside an AIMS: a
// pre-commit run whose changes are all outside it has nothing to check.
var errNoAIMSFiles = errors.New("none of the files is in an AIMS")

// openWorkspaceFor is openWorkspace for commands given file arguments. Paths
// are relative to the work dir (-C, like git). pre-commit runs at the
// repository root even when the AIMS is in a subfolder and passes every
// changed file, so when no AIMS encloses the work dir, the AIMS is the one
// enclosing the first file that is inside one; the other files are ignored.
func (g *GlobalOptions) openWorkspaceFor(files []string) (*workspace.Workspace, []string, error) {
	dir, err := g.workDir()
	if err != nil {
		return nil, nil, err
	}
	abs := make([]string, len(files))
	for i, f := range files {
		if !filepath.IsAbs(f) {
			f = filepath.Join(dir, f)
		}
		abs[i] = filepath.Clean(f)
	}
	start := dir
	if _, err := workspace.FindRoot(dir); err != nil && len(abs) > 0 {
		start = ""
		for _, f := range abs {
			if root, err := workspace.FindRoot(filepath.Dir(f)); err == nil {
				start = root
				break
			}
		}
		if start == "" {
			return nil, abs, errNoAIMSFiles
		}
	}
	lim, err := limitsFromEnv(g.getenv)
	if err != nil {
		return nil, nil, err
	}
	if g.resident != nil {
		ws, err := g.residentOpen(start, abs, workspace.WithLimits(lim), workspace.Lean(), workspace.LinkLater())
		return ws, abs, err
	}
	ws, err := workspace.OpenAt(start, g.Rev, g.cacheOption(), workspace.WithLimits(lim), workspace.Lean(), workspace.OnParse(gc.fileParsed, gc.found))
	return ws, abs, err
}

// Environment variables that raise the per-run limits for a very large
// AIMS. They belong to whoever runs aims (a CI job's settings), never to
// the repository's files, which a pull request could change.
const (
	envRunMiB    = "AIMS_MAX_RUN_MIB"
	envRunValues = "AIMS_MAX_RUN_VALUES"
)

func limitsFromEnv(getenv func(string) string) (load.Limits, error) {
	var l load.Limits
	for _, v := range []struct {
		name  string
		to    *int
		scale int
	}{{envRunMiB, &l.RunBytes, 1 << 20}, {envRunValues, &l.RunValues, 1}} {
		s := getenv(v.name)
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 || n > 1<<40/v.scale {
			return l, fmt.Errorf("%s=%q: want a positive whole number", v.name, s)
		}
		*v.to = n * v.scale
	}
	return l, nil
}
