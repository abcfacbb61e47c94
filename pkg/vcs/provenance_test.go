package vcs

import (
	"bytes"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	commitgraph "github.com/go-git/go-git/v5/plumbing/format/commitgraph/v2"
	"github.com/google/go-cmp/cmp"
)

// hashes lists each file's history as commit hashes, the form git prints.
func hashes(p Provenance) map[string][]string {
	out := make(map[string][]string, len(p.Files))
	for name, h := range p.Files {
		for _, c := range h.Commits {
			out[name] = append(out[name], c.Hash)
		}
	}
	return out
}

func TestProvenanceStory(t *testing.T) {
	s := newStory(t)
	r := openRepo(t, s.dir)
	h := func(hs ...plumbing.Hash) []string {
		var out []string
		for _, x := range hs {
			out = append(out, x.String())
		}
		return out
	}
	tests := []struct {
		name, rev, prefix string
		want              map[string][]string
	}{
		{
			name: "head of main under aims", rev: "HEAD", prefix: "aims",
			want: map[string][]string{
				"policy.yaml":        h(s.c4, s.c2, s.c1),
				"risks/r1.yaml":      h(s.c1),
				"risks/r2.yaml":      h(s.f1),                  // merge identical to its branch side
				"both.yaml":          h(s.m, s.c3, s.f1, s.c1), // resolved merge, both sides
				"dup.yaml":           h(s.c3, s.c1),            // only the first identical parent
				"old.yaml":           h(s.c5, s.c3, s.c1),      // re-added, deleted, added
				"risks/deep/r3.yaml": h(s.c4),
				"link.yaml":          h(s.c1),
				"tools/check.sh":     h(s.c1),
			},
		},
		{
			name: "lightweight tag before the branch", rev: "v1", prefix: "aims/",
			want: map[string][]string{
				"policy.yaml":    h(s.c2, s.c1),
				"risks/r1.yaml":  h(s.c1),
				"both.yaml":      h(s.c1),
				"dup.yaml":       h(s.c1),
				"old.yaml":       h(s.c1),
				"link.yaml":      h(s.c1),
				"tools/check.sh": h(s.c1),
			},
		},
		{
			name: "branch tip", rev: "feature", prefix: "aims/risks",
			want: map[string][]string{
				"r1.yaml": h(s.c1),
				"r2.yaml": h(s.f1),
			},
		},
		{
			name: "whole repository keeps full paths", rev: "v2", prefix: "",
			want: map[string][]string{
				"README.md":           h(s.c1),
				"aims/policy.yaml":    h(s.c2, s.c1),
				"aims/risks/r1.yaml":  h(s.c1),
				"aims/risks/r2.yaml":  h(s.f1),
				"aims/both.yaml":      h(s.m, s.c3, s.f1, s.c1),
				"aims/dup.yaml":       h(s.c3, s.c1),
				"aims/link.yaml":      h(s.c1),
				"aims/tools/check.sh": h(s.c1),
			},
		},
		{
			name: "missing prefix has no files", rev: "HEAD", prefix: "nope",
			want: map[string][]string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := r.Provenance(tt.rev, tt.prefix)
			if err != nil {
				t.Fatal(err)
			}
			if p.Incomplete {
				t.Error("Incomplete = true for a full clone")
			}
			if diff := cmp.Diff(tt.want, hashes(p)); diff != "" {
				t.Errorf("histories (-want +got):\n%s", diff)
			}
		})
	}
}

func TestProvenanceCommitDetails(t *testing.T) {
	s := newStory(t)
	r := openRepo(t, s.dir)
	p, err := r.Provenance("HEAD", "aims")
	if err != nil {
		t.Fatal(err)
	}
	got, ok := p.Files["policy.yaml"].Last()
	if !ok {
		t.Fatal("policy.yaml has no history")
	}
	want := Commit{
		Hash:      s.c4.String(),
		Author:    "Ada Lovelace",
		Email:     "ada@example.com",
		When:      day(5),
		Committed: day(5).Add(time.Hour),
		Subject:   "Third policy",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("last commit of policy.yaml (-want +got):\n%s", diff)
	}
	if _, ok := (History{}).Last(); ok {
		t.Error("Last of an empty history reports a commit")
	}
}

func TestProvenanceUnknownRevision(t *testing.T) {
	s := newStory(t)
	r := openRepo(t, s.dir)
	_, err := r.Provenance("nope", "")
	if err == nil || err.Error() != `unknown revision "nope"` {
		t.Errorf("err = %v, want unknown revision", err)
	}
}

func TestProvenanceShallow(t *testing.T) {
	s := newStory(t)
	// A depth-limited clone records its boundary commits in .git/shallow;
	// git and go-git then treat them as root commits.
	writeFile(t, filepath.Join(s.dir, ".git", "shallow"), s.c4.String()+"\n")
	r := openRepo(t, s.dir)
	shallow, err := r.Shallow()
	if err != nil {
		t.Fatal(err)
	}
	if !shallow {
		t.Error("Shallow() = false with a .git/shallow boundary")
	}
	p, err := r.Provenance("HEAD", "aims")
	if err != nil {
		t.Fatal(err)
	}
	if !p.Incomplete {
		t.Error("Incomplete = false although history stops at the boundary")
	}
	want := map[string][]string{
		"policy.yaml": {s.c4.String()},
		"old.yaml":    {s.c5.String()}, // absent at the boundary, so not "added" there
	}
	got := hashes(p)
	for name, w := range want {
		if diff := cmp.Diff(w, got[name]); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}

	// History at a revision above the boundary that never reaches it is
	// complete.
	r2 := openRepo(t, s.dir)
	p, err = r2.Provenance("HEAD", "aims/risks/deep")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string][]string{"r3.yaml": {s.c4.String()}}, hashes(p)); diff != "" {
		t.Errorf("r3 (-want +got):\n%s", diff)
	}
}

func TestShallowFalseForFullClone(t *testing.T) {
	r := openRepo(t, newStory(t).dir)
	shallow, err := r.Shallow()
	if err != nil {
		t.Fatal(err)
	}
	if shallow {
		t.Error("Shallow() = true for a full repository")
	}
}

// gitHistories runs `git log --format=%H rev -- path` for every file git
// lists under prefix at rev: the reference Provenance must reproduce. A
// file's log does not depend on the prefix, so each (repository, rev, file)
// runs git once per test binary, and the runs share the cores.
func gitHistories(t *testing.T, dir, rev, prefix string) map[string][]string {
	t.Helper()
	args := []string{"ls-tree", "-r", "--name-only", "-z", rev}
	if prefix != "" {
		args = append(args, "--", prefix)
	}
	// Logs are shared by commit, not by name: a branch may move.
	commit := strings.TrimSpace(runGit(t, dir, nil, "rev-parse", "--verify", rev+"^{commit}"))
	var names []string
	for _, name := range strings.Split(runGit(t, dir, nil, args...), "\x00") {
		if name != "" {
			names = append(names, name)
		}
	}
	logs := make([]string, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, name := range names {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			logs[i], errs[i] = gitLog(dir, commit, name)
		})
	}
	wg.Wait()
	out := map[string][]string{}
	for i, name := range names {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		key := strings.TrimPrefix(strings.TrimPrefix(name, prefix), "/")
		out[key] = strings.Fields(logs[i])
	}
	return out
}

var gitLogs sync.Map // dir, rev, file -> *gitLogResult

type gitLogResult struct {
	once sync.Once
	out  string
	err  error
}

func gitLog(dir, rev, name string) (string, error) {
	v, _ := gitLogs.LoadOrStore(dir+"\x00"+rev+"\x00"+name, &gitLogResult{})
	r := v.(*gitLogResult)
	r.once.Do(func() {
		cmd := exec.Command("git", "log", "--format=%H", rev, "--", ":(literal)"+name)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		b, err := cmd.Output()
		if err != nil {
			err = fmt.Errorf("git log %s -- %s: %v\n%s", rev, name, err, stderr.String())
		}
		r.out, r.err = string(b), err
	})
	return r.out, r.err
}

func compareWithGit(t *testing.T, dir, rev, prefix string) {
	t.Helper()
	r := openRepo(t, dir)
	p, err := r.Provenance(rev, prefix)
	if err != nil {
		t.Fatal(err)
	}
	want := gitHistories(t, dir, rev, prefix)
	if len(want) == 0 {
		t.Fatalf("git lists no files under %q at %s: the comparison would prove nothing", prefix, rev)
	}
	if diff := cmp.Diff(want, hashes(p)); diff != "" {
		t.Errorf("Provenance(%q, %q) differs from git log (-git +ours):\n%s", rev, prefix, diff)
	}
}

func TestProvenanceMatchesGitOnStory(t *testing.T) {
	gitBinary(t)
	s := newStory(t)
	for _, rev := range []string{"HEAD", "v1", "v2", "feature", s.c3.String()} {
		for _, prefix := range []string{"", "aims", "aims/risks"} {
			t.Run(rev+"/"+prefix, func(t *testing.T) { compareWithGit(t, s.dir, rev, prefix) })
		}
	}
}

func TestProvenanceMatchesGitOnShallowClone(t *testing.T) {
	gitBinary(t)
	s := newStory(t)
	clone := filepath.Join(t.TempDir(), "clone")
	runGit(t, s.dir, nil, "clone", "--quiet", "--depth", "3", "--no-local", "file://"+s.dir, clone)
	r := openRepo(t, clone)
	if sh, err := r.Shallow(); err != nil || !sh {
		t.Fatalf("Shallow() = %v, %v for a --depth 3 clone", sh, err)
	}
	p, err := r.Provenance("HEAD", "aims")
	if err != nil {
		t.Fatal(err)
	}
	if !p.Incomplete {
		t.Error("Incomplete = false for a --depth 3 clone")
	}
	compareWithGit(t, clone, "HEAD", "aims")
}

type dateMode int

const (
	orderedDates dateMode = iota // never earlier than a parent; some ties
	skewedDates                  // some commits dated before their parents
	sameDate                     // every commit in the same second, as scripts make them
)

// randomRepo writes a repository with branches, merges resolved every way
// git distinguishes, files deleted and re-added, identical changes on two
// branches, a path that flips between file and directory, and committer
// dates that tie and (with skew) go backwards. It returns the branch names.
func randomRepo(t testing.TB, dir string, seed uint64, commits int, dates dateMode) []string {
	b := newBuilder(t, dir)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	pool := []string{
		"other/outside.txt", "sub/readme.md",
		"sub/aims/policy.yaml", "sub/aims/scope.yaml", "sub/aims/flip",
		"sub/aims/flip/inner.yaml", "sub/aims/risks/r1.yaml", "sub/aims/risks/r2.yaml",
		"sub/aims/risks/r3.yaml", "sub/aims/risks/deep/r4.yaml", "sub/aims/risks/deep/r5.yaml",
		"sub/aims/evidence/e1.md", "sub/aims/evidence/e2.md", "sub/aims/evidence/2025/e3.md",
		"sub/aims/evidence/2025/e4.md", "sub/aims/systems/s1.yaml", "sub/aims/systems/s2.yaml",
		"sub/aims/systems/s3.yaml", "sub/aims/tool.sh",
	}
	// Few distinct contents, so reverts and identical changes on different
	// branches happen often: those are what make merges treesame.
	content := func() string {
		v := fmt.Sprintf("v%d\n", rng.IntN(4))
		if rng.IntN(8) == 0 {
			return execPrefix + v
		}
		return v
	}
	set := func(snap map[string]string, p, data string) map[string]string {
		snap = with(snap, p, data)
		// A path cannot be a file and a directory in one commit.
		if data != "" {
			for q := range snap {
				if strings.HasPrefix(q, p+"/") || strings.HasPrefix(p, q+"/") {
					delete(snap, q)
				}
			}
		}
		return snap
	}
	type branch struct {
		name string
		head plumbing.Hash
		snap map[string]string
	}
	when := day(0)
	next := func() (time.Time, time.Time) {
		if dates != sameDate {
			when = when.Add(time.Duration(rng.IntN(3)) * time.Hour) // 0: a tie
		}
		committed := when
		if dates == skewedDates && rng.IntN(15) == 0 {
			committed = when.Add(-time.Duration(1+rng.IntN(72)) * time.Hour)
		}
		return when, committed
	}
	snap := map[string]string{}
	for _, p := range pool[:8] {
		snap = set(snap, p, content())
	}
	a, c := next()
	branches := []*branch{{name: "main", head: b.commitAt(snap, "root\n", a, c), snap: snap}}
	for i := 1; i < commits; i++ {
		br := branches[rng.IntN(len(branches))]
		switch k := rng.IntN(10); {
		case k == 0 && len(branches) < 5:
			branches = append(branches, &branch{name: fmt.Sprintf("b%d", i), head: br.head, snap: br.snap})
			continue
		case k <= 2 && len(branches) > 1:
			other := branches[rng.IntN(len(branches))]
			if other == br {
				continue
			}
			var merged map[string]string
			switch rng.IntN(4) {
			case 0: // take theirs wholesale: treesame to the second parent
				merged = other.snap
			default: // per path: ours, theirs, resolved by hand, or dropped
				merged = maps.Clone(br.snap)
				// Sorted, so the seed alone decides the history.
				for _, p := range slices.Sorted(maps.Keys(other.snap)) {
					v := other.snap[p]
					switch rng.IntN(4) {
					case 0:
						merged = set(merged, p, v)
					case 1:
						merged = set(merged, p, content())
					}
				}
				if rng.IntN(5) == 0 {
					merged = set(merged, pool[2+rng.IntN(len(pool)-2)], "")
				}
			}
			a, c := next()
			parents := []plumbing.Hash{br.head, other.head}
			if rng.IntN(8) == 0 && len(branches) > 2 { // an octopus
				third := branches[rng.IntN(len(branches))]
				if third != br && third != other {
					parents = append(parents, third.head)
				}
			}
			br.head = b.commitAt(merged, fmt.Sprintf("merge %d\n", i), a, c, parents...)
			br.snap = merged
		default:
			s := br.snap
			for n := 1 + rng.IntN(3); n > 0; n-- {
				p := pool[rng.IntN(len(pool))]
				if rng.IntN(5) == 0 {
					s = set(s, p, "")
				} else {
					s = set(s, p, content())
				}
			}
			a, c := next()
			br.head = b.commitAt(s, fmt.Sprintf("commit %d\n", i), a, c, br.head)
			br.snap = s
		}
	}
	var names []string
	for _, br := range branches {
		b.ref("refs/heads/"+br.name, br.head)
		names = append(names, br.name)
	}
	return names
}

// TestProvenanceMatchesGitOnRandomHistory is the test that matters most:
// for every file under the AIMS root, on every branch, our one-walk
// histories must be exactly what git log prints, merges included.
func TestProvenanceMatchesGitOnRandomHistory(t *testing.T) {
	gitBinary(t)
	for _, tc := range []struct {
		name    string
		seed    uint64
		commits int
		dates   dateMode
	}{
		{"ordered dates", 1, 300, orderedDates},
		// Equal committer dates on two branches: a walk that ordered by
		// date alone, or queued each commit once for all files, lists
		// two tied commits of one file the other way round from git.
		{"tied dates across branches", 27, 400, orderedDates},
		{"clock skew", 3, 300, skewedDates},
		// Mostly ties: folding a commit's queue entries whenever possible
		// gets this wrong.
		{"all in one second", 4, 300, sameDate},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			branches := randomRepo(t, dir, tc.seed, tc.commits, tc.dates)
			merges := strings.Count(runGit(t, dir, nil, "log", "--all", "--merges", "--format=%H"), "\n")
			if merges < 20 {
				t.Fatalf("only %d merges: the fixture no longer tests merges", merges)
			}
			for _, br := range branches {
				for _, prefix := range []string{"sub/aims", ""} {
					compareWithGit(t, dir, br, prefix)
				}
			}
			// Again with the commit-graph git gc writes: the walk reads
			// trees, parents and dates from it and must not change a line.
			runGit(t, dir, nil, "commit-graph", "write", "--reachable")
			if _, err := commitgraph.OpenChainOrFileIndex(openRepo(t, dir).dot); err != nil {
				t.Fatalf("no commit-graph after git commit-graph write: %v", err)
			}
			for _, br := range branches {
				for _, prefix := range []string{"sub/aims", ""} {
					compareWithGit(t, dir, br, prefix)
				}
			}
		})
	}
}
