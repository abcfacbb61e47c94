package vcs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/google/go-cmp/cmp"
)

func TestResolve(t *testing.T) {
	s := newStory(t)
	// A branch whose name is also a prefix of another commit's hash: git
	// resolves the branch, go-git alone would pick the commit.
	ambiguous := s.c3.String()[:6]
	b := newBuilderAt(t, s.dir)
	b.ref("refs/heads/"+ambiguous, s.c1)

	r := openRepo(t, s.dir)
	tests := []struct {
		rev  string
		want plumbing.Hash
	}{
		{"HEAD", s.c5},
		{"main", s.c5},
		{"refs/heads/main", s.c5},
		{"feature", s.f1},
		{"v1", s.c2},              // lightweight tag
		{"v2", s.m},               // annotated tag, peeled to its commit
		{"refs/tags/v2", s.m},     // fully qualified
		{s.c3.String(), s.c3},     // full hash
		{s.c2.String()[:7], s.c2}, // short hash
		{"HEAD~2", s.m},
		{"v2^", s.c3},
		{"v2^2", s.f1},
		{"v2~1", s.c3},
		{ambiguous, s.c1},
		{ambiguous + "~0", s.c1},
	}
	for _, tt := range tests {
		t.Run(tt.rev, func(t *testing.T) {
			c, err := r.Resolve(tt.rev)
			if err != nil {
				t.Fatal(err)
			}
			if c.Hash != tt.want.String() {
				t.Errorf("Resolve(%q) = %s, want %s", tt.rev, c.Short(), tt.want.String()[:7])
			}
		})
	}

	for _, rev := range []string{"nope", "v9", "HEAD~99", "v1^2", "abc", "0000000", "HEAD~x", ""} {
		t.Run("unknown "+rev, func(t *testing.T) {
			_, err := r.Resolve(rev)
			if err == nil {
				t.Fatalf("Resolve(%q) succeeded", rev)
			}
			if want := `unknown revision "` + rev + `"`; err.Error() != want {
				t.Errorf("Resolve(%q) error = %q, want %q", rev, err, want)
			}
		})
	}
}

func TestResolveCommitFields(t *testing.T) {
	s := newStory(t)
	r := openRepo(t, s.dir)
	got, err := r.Resolve("v1")
	if err != nil {
		t.Fatal(err)
	}
	want := Commit{
		Hash:      s.c2.String(),
		Author:    "Ada Lovelace",
		Email:     "ada@example.com",
		When:      day(1),
		Committed: day(1).Add(time.Hour),
		Subject:   "Second policy",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Resolve(v1) (-want +got):\n%s", diff)
	}
	if got.Short() != s.c2.String()[:7] {
		t.Errorf("Short() = %q", got.Short())
	}
}

func TestDirty(t *testing.T) {
	tests := []struct {
		name   string
		change func(t *testing.T, dir string)
		prefix string
		want   bool
	}{
		{"clean checkout", nil, "", false},
		{"clean checkout under prefix", nil, "aims", false},
		{"modified file", modify("aims/policy.yaml"), "aims", true},
		{"modified file, whole repo", modify("aims/policy.yaml"), "", true},
		{"modified file in a sibling directory", modify("aims/policy.yaml"), "aims/risks", false},
		{"staged change", stage("aims/risks/r1.yaml"), "aims/risks", true},
		{"deleted file", remove("aims/old.yaml"), "aims", true},
		{"untracked file", create("aims/risks/new.yaml"), "aims", true},
		{"untracked file outside prefix", create("notes.txt"), "aims", false},
		{"untracked file outside prefix, whole repo", create("notes.txt"), "", true},
		{"prefix is a name prefix only", create("aims2/x.yaml"), "aims", false},
		{"ignored file", ignore("aims/scratch.tmp"), "aims", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStory(t)
			if tt.change != nil {
				tt.change(t, s.dir)
			}
			r := openRepo(t, s.dir)
			got, err := r.Dirty(tt.prefix)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Dirty(%q) = %v, want %v", tt.prefix, got, tt.want)
			}
		})
	}
}

func modify(name string) func(*testing.T, string) {
	return func(t *testing.T, dir string) { writeFile(t, filepath.Join(dir, name), "changed: true\n") }
}

func create(name string) func(*testing.T, string) { return modify(name) }

func remove(name string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
}

func stage(name string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		modify(name)(t, dir)
		repo, err := git.PlainOpen(dir)
		if err != nil {
			t.Fatal(err)
		}
		wt, err := repo.Worktree()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := wt.Add(name); err != nil {
			t.Fatal(err)
		}
	}
}

func ignore(name string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		writeFile(t, filepath.Join(dir, ".git", "info", "exclude"), "*.tmp\n")
		modify(name)(t, dir)
	}
}

func TestOpenWalksUp(t *testing.T) {
	s := newStory(t)
	r := openRepo(t, filepath.Join(s.dir, "aims", "risks"))
	if r.Root() != s.dir {
		t.Errorf("Root() = %q, want %q", r.Root(), s.dir)
	}
	c, err := r.Resolve("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if c.Hash != s.c5.String() {
		t.Errorf("HEAD = %s, want %s", c.Short(), s.c5.String()[:7])
	}
}

func TestOpenNotARepo(t *testing.T) {
	_, err := Open(t.TempDir())
	if !errors.Is(err, ErrNotRepo) {
		t.Errorf("Open(empty dir) error = %v, want ErrNotRepo", err)
	}
}

func TestOpenLinkedWorktree(t *testing.T) {
	gitBinary(t)
	s := newStory(t)
	wt := filepath.Join(t.TempDir(), "wt")
	runGit(t, s.dir, nil, "worktree", "add", "--quiet", wt, "feature")
	r := openRepo(t, filepath.Join(wt, "aims"))
	if r.Root() != wt {
		t.Errorf("Root() = %s, want the worktree %s", r.Root(), wt)
	}
	c, err := r.Resolve("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if c.Hash != s.f1.String() {
		t.Errorf("HEAD in the worktree = %s, want feature %s", c.Short(), s.f1.String()[:7])
	}
	// Refs live in the main repository's common directory.
	if _, err := r.Resolve("v2"); err != nil {
		t.Errorf("tag from the common directory: %v", err)
	}
}

// TestConcurrentUse backs the promise that a Repo can be shared: run it
// with -race.
func TestConcurrentUse(t *testing.T) {
	s := newStory(t)
	r := openRepo(t, s.dir)
	fsys, _, err := r.FS("v1")
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 30)
	for range 10 {
		go func() {
			_, err := r.Provenance("HEAD", "aims")
			errs <- err
		}()
		go func() {
			_, err := fs.ReadFile(fsys, "aims/policy.yaml")
			errs <- err
		}()
		go func() {
			_, err := r.Resolve("v2^2")
			errs <- err
		}()
	}
	for range 30 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// Revisions git would refuse are refused, not read as something else
// (issue 12, defect 7): a path or a peel to a non-commit, reflog and range
// syntax, a blob's hash, and a short hash that abbreviates several commits.
func TestResolveRefusesWhatGitWould(t *testing.T) {
	s := newStory(t)
	r := openRepo(t, s.dir)
	for rev, want := range map[string]plumbing.Hash{"HEAD^{commit}": s.c5, "v2^{}": s.m, "v2^{}~1": s.c3} {
		c, err := r.Resolve(rev)
		if err != nil || c.Hash != want.String() {
			t.Errorf("Resolve(%q) = %s, %v; want %s", rev, c.Short(), err, want.String()[:7])
		}
	}
	blob := newBuilderAt(t, s.dir).blob(s.policyV2)
	for rev, want := range map[string]string{
		"HEAD:aims/policy.yaml": `revision "HEAD:aims/policy.yaml" does not name a commit`,
		"HEAD:nonexistent":      `revision "HEAD:nonexistent" does not name a commit`,
		"HEAD^{blob}":           `revision "HEAD^{blob}" does not name a commit`,
		"HEAD^{tree}":           `revision "HEAD^{tree}" does not name a commit`,
		"HEAD@{1}":              `revision "HEAD@{1}" does not name a commit`,
		"v1..v2":                `revision "v1..v2" does not name a commit`,
		blob.String():           `revision "` + blob.String() + `" names a blob, not a commit`,
	} {
		_, err := r.Resolve(rev)
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("Resolve(%q) error = %v, want %q", rev, err, want)
		}
	}

	// Commits until two share a 4-digit prefix (about 300 tries).
	b := newBuilderAt(t, s.dir)
	seen := map[string]plumbing.Hash{}
	var prefix string
	for i := 0; prefix == "" && i < 5000; i++ {
		h := b.commit(map[string]string{"f": "x"}, fmt.Sprintf("commit %d\n", i), day(i))
		p := h.String()[:4]
		if _, dup := seen[p]; dup && !isRef(r, p) {
			prefix = p
		}
		seen[p] = h
	}
	_, err := r.Resolve(prefix)
	if want := `ambiguous argument "` + prefix + `"`; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Resolve(%q) error = %v, want %q", prefix, err, want)
	}
	c, err := r.Resolve(seen[prefix].String()[:12])
	if err != nil || c.Hash != seen[prefix].String() {
		t.Errorf("a longer prefix of one of them: %s, %v", c.Short(), err)
	}
}

func isRef(r *Repo, name string) bool {
	for _, rule := range refRules {
		if _, err := r.repo.Reference(plumbing.ReferenceName(fmt.Sprintf(rule, name)), true); err == nil {
			return true
		}
	}
	return false
}

// A commit stored in two packs (as after a fetch into a clone whose pack
// already holds it) is one commit, not an ambiguous
// abbreviation: on a CI clone every run that read an older revision failed
// with "it abbreviates 2 commits or tags (f9c9d3740186, f9c9d3740186)".
func TestResolveObjectStoredTwice(t *testing.T) {
	s := newStory(t)
	b := newBuilderAt(t, s.dir)
	packAll(t, b)
	b.commit(map[string]string{"later": "x"}, "later\n", day(40), s.c5)
	packAll(t, b)
	packs, err := filepath.Glob(filepath.Join(s.dir, ".git", "objects", "pack", "*.pack"))
	if err != nil || len(packs) != 2 {
		t.Fatalf("want two packs holding the same commits, have %d: %v", len(packs), err)
	}
	// Pruned, as git gc does: only the packs hold the commit now.
	los := b.st.(storer.LooseObjectStorer)
	var loose []plumbing.Hash
	if err := los.ForEachObjectHash(func(h plumbing.Hash) error {
		loose = append(loose, h)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, h := range loose {
		if err := los.DeleteLooseObject(h); err != nil {
			t.Fatal(err)
		}
	}

	r := openRepo(t, s.dir)
	for _, rev := range []string{s.c3.String(), s.c3.String()[:12], s.c3.String()[:7]} {
		c, err := r.Resolve(rev)
		if err != nil || c.Hash != s.c3.String() {
			t.Errorf("Resolve(%q) = %s, %v; want %s", rev, c.Hash, err, s.c3)
		}
	}
	if _, _, err := r.FS(s.c3.String()); err != nil {
		t.Errorf("FS(full hash): %v", err)
	}
}

// packAll writes every object of the repository into a new pack and keeps
// the loose copies.
func packAll(t *testing.T, b *builder) {
	t.Helper()
	var objs []plumbing.Hash
	iter, err := b.st.IterEncodedObjects(plumbing.AnyObject)
	if err != nil {
		t.Fatal(err)
	}
	if err := iter.ForEach(func(o plumbing.EncodedObject) error {
		objs = append(objs, o.Hash())
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	pw, err := b.st.(storer.PackfileWriter).PackfileWriter()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := packfile.NewEncoder(pw, b.st, false).Encode(objs, 10); err != nil {
		t.Fatal(err)
	}
	if err := pw.Close(); err != nil {
		t.Fatal(err)
	}
}
