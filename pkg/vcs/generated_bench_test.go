package vcs

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/aims-dev/aims/pkg/synth"
)

// BenchmarkProvenanceGenerated is provenance on what aimsgen writes with
// -systems 550 -commits 5000: about 10,000 documents and 16,000 files under
// version control, 5,000 commits, packed as `git gc` would leave them (when
// git is installed), first without and then with the commit-graph gc also
// writes. Beside it, `git log --name-only` on the same
// repository in the same run. Building the repository takes about a
// minute; -short skips it.
func BenchmarkProvenanceGenerated(b *testing.B) {
	if testing.Short() {
		b.Skip("a minute to build the repository")
	}
	files, err := synth.Generate(550)
	if err != nil {
		b.Fatal(err)
	}
	dir := filepath.Join(b.TempDir(), "aims")
	if err := synth.Write(dir, files); err != nil {
		b.Fatal(err)
	}
	if err := synth.History(dir, files, 5000, 1); err != nil {
		b.Fatal(err)
	}
	git, gitErr := exec.LookPath("git")
	if gitErr == nil {
		cmd := exec.Command(git, "repack", "-adq")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("git repack: %v\n%s", err, out)
		}
	}
	walk := func(b *testing.B) {
		for b.Loop() {
			r, err := Open(dir)
			if err != nil {
				b.Fatal(err)
			}
			p, err := r.Provenance("HEAD", "")
			if err != nil {
				b.Fatal(err)
			}
			if len(p.Files) != len(files) {
				b.Fatalf("Provenance found %d files, want %d", len(p.Files), len(files))
			}
			_ = r.Close()
		}
	}
	b.Run("go-git-walk", walk)
	if gitErr == nil {
		cmd := exec.Command(git, "commit-graph", "write", "--reachable")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("git commit-graph write: %v\n%s", err, out)
		}
		b.Run("go-git-walk-commit-graph", walk)
	}
	b.Run("git-log-name-only", func(b *testing.B) {
		if gitErr != nil {
			b.Skip("git binary not installed")
		}
		for b.Loop() {
			cmd := exec.Command(git, "log", "--name-only", "--format=%H", "HEAD")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
			if out, err := cmd.Output(); err != nil || len(out) == 0 {
				b.Fatalf("git log: %v", err)
			}
		}
	})
}
