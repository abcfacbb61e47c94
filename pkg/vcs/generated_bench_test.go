package vcs

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/aims-dev/aims/pkg/synth"
)

// BenchmarkProvenanceGenerated is provenance on what aimsgen writes with
// -systems 550 -commits 5000: about 10,000 documents and 16,000 files under
// version control, 5,000 commits, packed as `git gc` would leave them (when
// git is installed), first without and then with the commit-graph gc also
// writes, and with the graph but every object read through go-git instead
// of our pack reader (pack.go), as before it. Beside them, `git log
// --name-only` on the same repository in the same run. Each reports its
// CPU time (cpu-ms/op, all threads) beside wall time. Building the
// repository takes about a minute; -short skips it.
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
	walk := func(viaGoGit bool) func(*testing.B) {
		return func(b *testing.B) {
			cpu0 := cpuTime()
			for b.Loop() {
				r, err := Open(dir)
				if err != nil {
					b.Fatal(err)
				}
				if viaGoGit {
					r.packs.loaded = true // no packs: every object through go-git
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
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		}
	}
	b.Run("go-git-walk", walk(false))
	if gitErr == nil {
		cmd := exec.Command(git, "commit-graph", "write", "--reachable")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("git commit-graph write: %v\n%s", err, out)
		}
		b.Run("go-git-walk-commit-graph", walk(false))
		b.Run("go-git-walk-commit-graph-objects-via-go-git", walk(true))
	}
	b.Run("git-log-name-only", func(b *testing.B) {
		if gitErr != nil {
			b.Skip("git binary not installed")
		}
		var cpu time.Duration
		for b.Loop() {
			cmd := exec.Command(git, "log", "--name-only", "--format=%H", "HEAD")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
			if out, err := cmd.Output(); err != nil || len(out) == 0 {
				b.Fatalf("git log: %v", err)
			}
			ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
			cpu += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
		b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
	})
}

// cpuTime is the process's CPU time so far (user and system, all threads):
// on a shared machine wall time includes waiting for a core, CPU time does
// not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
