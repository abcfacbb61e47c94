package vcs

import (
	"bytes"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// Shape of the benchmark repository: a few years of an AIMS kept by a team.
const (
	benchCommits = 3000
	benchFiles   = 1500 // 10 x 10 directories of 15 files under aims/
)

var bench struct {
	once sync.Once
	dir  string
	how  string
	err  error
}

// TestMain removes the benchmark repository, which is built once per process
// and shared by the sub-benchmarks.
func TestMain(m *testing.M) {
	m.Run()
	if bench.dir != "" {
		_ = os.RemoveAll(filepath.Dir(bench.dir))
	}
}

// BenchmarkProvenance times our one-walk Provenance against the fastest way
// to get the same information from git, `git log --name-only`, on the same
// repository in the same run.
func BenchmarkProvenance(b *testing.B) {
	bench.once.Do(func() {
		start := time.Now()
		bench.dir, bench.how, bench.err = makeBenchRepo()
		b.Logf("generated %d commits x %d files with %s in %v", benchCommits, benchFiles, bench.how, time.Since(start).Round(time.Millisecond))
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
	dir := bench.dir

	b.Run("go-git-walk", func(b *testing.B) {
		var files int
		for b.Loop() {
			// Open each time, as a CLI run does: no warm tree cache.
			r, err := Open(dir)
			if err != nil {
				b.Fatal(err)
			}
			p, err := r.Provenance("HEAD", "aims")
			if err != nil {
				b.Fatal(err)
			}
			files = len(p.Files)
			_ = r.Close()
		}
		if files != benchFiles {
			b.Fatalf("Provenance found %d files, want %d", files, benchFiles)
		}
	})

	b.Run("git-log-name-only", func(b *testing.B) {
		git, err := exec.LookPath("git")
		if err != nil {
			b.Skip("git binary not installed")
		}
		for b.Loop() {
			cmd := exec.Command(git, "log", "--name-only", "--format=%H", "HEAD", "--", "aims")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
			if out, err := cmd.Output(); err != nil || len(out) == 0 {
				b.Fatalf("git log: %v", err)
			}
		}
	})
}

// benchCommit is one commit of the generated history. Ops are relative to
// the first parent: path -> new content.
type benchCommit struct {
	branch string
	mark   int
	from   int // 0: root
	merge  int // 0: not a merge
	when   time.Time
	ops    [][2]string
}

// benchPlan lays out the history: a main line of small edits with a side
// branch every 25 commits that is merged back, taking the branch's files
// and resolving one conflict by hand.
func benchPlan() []benchCommit {
	rng := rand.New(rand.NewPCG(42, 4242))
	var paths []string
	for d := range 10 {
		for s := range 10 {
			for f := range 15 {
				paths = append(paths, fmt.Sprintf("aims/d%02d/s%d/f%03d.yaml", d, s, f))
			}
		}
	}
	when := time.Date(2020, 1, 1, 9, 0, 0, 0, time.UTC)
	var plan []benchCommit
	add := func(c benchCommit) int {
		when = when.Add(time.Hour)
		c.mark, c.when = len(plan)+1, when
		plan = append(plan, c)
		return c.mark
	}
	edit := func(n int) [][2]string {
		var ops [][2]string
		for range n {
			p := paths[rng.IntN(len(paths))]
			ops = append(ops, [2]string{p, fmt.Sprintf("id: %s\nrev: %d\n", p, len(plan))})
		}
		return ops
	}
	var root [][2]string
	for _, p := range paths {
		root = append(root, [2]string{p, "id: " + p + "\n"})
	}
	root = append(root, [2]string{"other/README.md", "outside the AIMS\n"})
	head := add(benchCommit{branch: "main", ops: root})
	for len(plan) < benchCommits {
		if len(plan)%25 != 0 || len(plan)+9 > benchCommits {
			head = add(benchCommit{branch: "main", from: head, ops: edit(1 + rng.IntN(4))})
			continue
		}
		side, changed := head, map[string]string{}
		for range 4 {
			ops := edit(1 + rng.IntN(3))
			for _, op := range ops {
				changed[op[0]] = op[1]
			}
			side = add(benchCommit{branch: "side", from: side, ops: ops})
		}
		for range 3 {
			head = add(benchCommit{branch: "main", from: head, ops: edit(2)})
		}
		var ops [][2]string
		for p, data := range changed {
			ops = append(ops, [2]string{p, data})
		}
		ops = append(ops, edit(1)...) // resolved by hand: differs from both sides
		head = add(benchCommit{branch: "main", from: head, merge: side, ops: ops})
	}
	return plan
}

// makeBenchRepo writes the plan with git fast-import when git is installed
// (seconds) and with go-git otherwise (slower, loose objects).
func makeBenchRepo() (dir, how string, err error) {
	tmp, err := os.MkdirTemp("", "aims-vcs-bench-")
	if err != nil {
		return "", "", err
	}
	dir = filepath.Join(tmp, "repo")
	plan := benchPlan()
	if git, lerr := exec.LookPath("git"); lerr == nil {
		return dir, "git fast-import", fastImport(git, dir, plan)
	}
	return dir, "go-git", goGitImport(dir, plan)
}

func fastImport(git, dir string, plan []benchCommit) error {
	var in bytes.Buffer
	for _, c := range plan {
		msg := fmt.Sprintf("commit %d\n", c.mark)
		fmt.Fprintf(&in, "commit refs/heads/%s\nmark :%d\n", c.branch, c.mark)
		fmt.Fprintf(&in, "author Ada Lovelace <ada@example.com> %d +0000\n", c.when.Unix())
		fmt.Fprintf(&in, "committer Ada Lovelace <ada@example.com> %d +0000\n", c.when.Unix())
		fmt.Fprintf(&in, "data %d\n%s", len(msg), msg)
		if c.from != 0 {
			fmt.Fprintf(&in, "from :%d\n", c.from)
		}
		if c.merge != 0 {
			fmt.Fprintf(&in, "merge :%d\n", c.merge)
		}
		for _, op := range c.ops {
			fmt.Fprintf(&in, "M 100644 inline %s\ndata %d\n%s\n", op[0], len(op[1]), op[1])
		}
		in.WriteString("\n")
	}
	run := func(stdin []byte, args ...string) error {
		cmd := exec.Command(git, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		if stdin != nil {
			cmd.Stdin = bytes.NewReader(stdin)
		}
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("git %s: %w\n%s", strings.Join(args, " "), err, out)
		}
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := run(nil, "init", "--quiet"); err != nil {
		return err
	}
	if err := run(in.Bytes(), "fast-import", "--quiet"); err != nil {
		return err
	}
	if err := run(nil, "symbolic-ref", "HEAD", "refs/heads/main"); err != nil {
		return err
	}
	// Real repositories are packed with deltas by gc; fast-import's pack is not.
	return run(nil, "repack", "-adq")
}

func goGitImport(dir string, plan []benchCommit) error {
	var tb benchTB
	b := newBuilder(&tb, dir)
	// Keep a snapshot only while a later commit still builds on it.
	uses := map[int]int{}
	for _, c := range plan {
		uses[c.from]++
	}
	snaps := map[int]map[string]string{}
	heads := map[int]plumbing.Hash{}
	for _, c := range plan {
		snap := map[string]string{}
		var parents []plumbing.Hash
		if c.from != 0 {
			parents = append(parents, heads[c.from])
			snap = maps.Clone(snaps[c.from])
			if uses[c.from]--; uses[c.from] == 0 {
				delete(snaps, c.from)
			}
		}
		if c.merge != 0 {
			parents = append(parents, heads[c.merge])
		}
		for _, op := range c.ops {
			snap[op[0]] = op[1]
		}
		heads[c.mark] = b.commitAt(snap, fmt.Sprintf("commit %d\n", c.mark), c.when, c.when, parents...)
		if uses[c.mark] > 0 {
			snaps[c.mark] = snap
		}
		if tb.err != nil {
			return tb.err
		}
	}
	b.ref("refs/heads/main", heads[len(plan)])
	return tb.err
}

// benchTB lets the test builder report failures outside a test.
type benchTB struct {
	testing.TB
	err error
}

func (t *benchTB) Helper()                   {}
func (t *benchTB) Fatal(args ...any)         { t.err = fmt.Errorf("%v", fmt.Sprint(args...)) }
func (t *benchTB) Fatalf(f string, a ...any) { t.err = fmt.Errorf(f, a...) }
