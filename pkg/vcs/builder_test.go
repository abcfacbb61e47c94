package vcs

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// Snapshot values with these prefixes become a symbolic link or an
// executable file; anything else is a regular file's content.
const (
	linkPrefix = "symlink:"
	execPrefix = "exec:"
)

// builder writes commits straight into a repository's object store from
// full snapshots, so fixtures can have any shape (merges resolved by hand,
// fixed dates) without a git binary or a work tree.
type builder struct {
	tb      testing.TB
	dir     string
	repo    *git.Repository
	st      storer.Storer
	written map[plumbing.Hash]bool
	blobs   map[string]plumbing.Hash
}

func newBuilder(tb testing.TB, dir string) *builder {
	tb.Helper()
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		tb.Fatal(err)
	}
	b := &builder{tb: tb, dir: dir, repo: repo, st: repo.Storer, written: map[plumbing.Hash]bool{}, blobs: map[string]plumbing.Hash{}}
	if err := b.st.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, "refs/heads/main")); err != nil {
		tb.Fatal(err)
	}
	return b
}

// newBuilderAt adds to an existing repository.
func newBuilderAt(tb testing.TB, dir string) *builder {
	tb.Helper()
	repo, err := git.PlainOpen(dir)
	if err != nil {
		tb.Fatal(err)
	}
	return &builder{tb: tb, dir: dir, repo: repo, st: repo.Storer, written: map[plumbing.Hash]bool{}, blobs: map[string]plumbing.Hash{}}
}

func (b *builder) put(o plumbing.EncodedObject) plumbing.Hash {
	h := o.Hash()
	if b.written[h] {
		return h
	}
	if _, err := b.st.SetEncodedObject(o); err != nil {
		b.tb.Fatal(err)
	}
	b.written[h] = true
	return h
}

func (b *builder) blob(data string) plumbing.Hash {
	if h, ok := b.blobs[data]; ok {
		return h
	}
	o := b.st.NewEncodedObject()
	o.SetType(plumbing.BlobObject)
	w, _ := o.Writer()
	_, _ = w.Write([]byte(data))
	_ = w.Close()
	b.blobs[data] = b.put(o)
	return b.blobs[data]
}

// tree writes the tree for the snapshot's paths below dir ("" = root).
func (b *builder) tree(snap map[string]string) plumbing.Hash {
	type node struct {
		files map[string]string
		dirs  map[string]*node
	}
	newNode := func() *node { return &node{files: map[string]string{}, dirs: map[string]*node{}} }
	root := newNode()
	for p, data := range snap {
		n := root
		parts := strings.Split(p, "/")
		for _, d := range parts[:len(parts)-1] {
			if n.dirs[d] == nil {
				n.dirs[d] = newNode()
			}
			n = n.dirs[d]
		}
		n.files[parts[len(parts)-1]] = data
	}
	var write func(n *node) plumbing.Hash
	write = func(n *node) plumbing.Hash {
		var t object.Tree
		for name, data := range n.files {
			mode := filemode.Regular
			switch {
			case strings.HasPrefix(data, linkPrefix):
				mode, data = filemode.Symlink, strings.TrimPrefix(data, linkPrefix)
			case strings.HasPrefix(data, execPrefix):
				mode, data = filemode.Executable, strings.TrimPrefix(data, execPrefix)
			}
			t.Entries = append(t.Entries, object.TreeEntry{Name: name, Mode: mode, Hash: b.blob(data)})
		}
		for name, d := range n.dirs {
			t.Entries = append(t.Entries, object.TreeEntry{Name: name, Mode: filemode.Dir, Hash: write(d)})
		}
		sort.Sort(object.TreeEntrySorter(t.Entries))
		o := b.st.NewEncodedObject()
		if err := t.Encode(o); err != nil {
			b.tb.Fatal(err)
		}
		return b.put(o)
	}
	return write(root)
}

// commit writes a commit of the whole snapshot. The committer date is an
// hour after the author date so tests can tell the two apart.
func (b *builder) commit(snap map[string]string, msg string, when time.Time, parents ...plumbing.Hash) plumbing.Hash {
	return b.commitAt(snap, msg, when, when.Add(time.Hour), parents...)
}

func (b *builder) commitAt(snap map[string]string, msg string, authored, committed time.Time, parents ...plumbing.Hash) plumbing.Hash {
	c := object.Commit{
		Author:       object.Signature{Name: "Ada Lovelace", Email: "ada@example.com", When: authored},
		Committer:    object.Signature{Name: "Grace Hopper", Email: "grace@example.com", When: committed},
		Message:      msg,
		TreeHash:     b.tree(snap),
		ParentHashes: parents,
	}
	o := b.st.NewEncodedObject()
	if err := c.Encode(o); err != nil {
		b.tb.Fatal(err)
	}
	return b.put(o)
}

func (b *builder) ref(name string, h plumbing.Hash) {
	if err := b.st.SetReference(plumbing.NewHashReference(plumbing.ReferenceName(name), h)); err != nil {
		b.tb.Fatal(err)
	}
}

func (b *builder) annotatedTag(name string, h plumbing.Hash, when time.Time) {
	tag := object.Tag{
		Name:       name,
		Tagger:     object.Signature{Name: "Ada Lovelace", Email: "ada@example.com", When: when},
		Message:    "release " + name + "\n",
		TargetType: plumbing.CommitObject,
		Target:     h,
	}
	o := b.st.NewEncodedObject()
	if err := tag.Encode(o); err != nil {
		b.tb.Fatal(err)
	}
	b.ref("refs/tags/"+name, b.put(o))
}

// checkout makes the work tree and index match HEAD, as after a clone.
func (b *builder) checkout() {
	wt, err := b.repo.Worktree()
	if err != nil {
		b.tb.Fatal(err)
	}
	head, err := b.repo.Head()
	if err != nil {
		b.tb.Fatal(err)
	}
	if err := wt.Reset(&git.ResetOptions{Commit: head.Hash(), Mode: git.HardReset}); err != nil {
		b.tb.Fatal(err)
	}
}

var day0 = time.Date(2025, 1, 6, 9, 0, 0, 0, time.FixedZone("CET", 3600))

func day(n int) time.Time { return day0.AddDate(0, 0, n) }

// story is the fixture most tests share: an AIMS under aims/ with history
// that exercises every rule of git's simplification.
//
//		c1 ── c2 ─────────── c3 ── M ── c4 ── c5     main
//		        \                 /
//		         f1 ─────────────'                  feature
//
//	  - policy.yaml: changed on main only (c1, c2, c4).
//	  - risks/r2.yaml: added on the branch; M is identical to its second
//	    parent, so M is not shown and only f1 is.
//	  - both.yaml: changed on both sides and resolved by hand in M, which
//	    differs from both parents: M is shown and both sides are followed.
//	  - dup.yaml: the same change made on both sides; M is identical to the
//	    first parent, so only that side (c3) is followed and f1 is not listed.
//	  - old.yaml: deleted in c3 and re-added in c5.
//	  - risks/deep/r3.yaml: a nested file added in c4.
//	  - link.yaml: a symbolic link; README.md: outside the AIMS root.
//
// v1 is a lightweight tag on c2, v2 an annotated tag on M.
type story struct {
	dir                            string
	c1, c2, f1, c3, m, c4, c5      plumbing.Hash
	policyV2, policyV3, oldVersion string
}

func newStory(tb testing.TB) story {
	tb.Helper()
	dir := tb.TempDir()
	b := newBuilder(tb, dir)
	s := story{dir: dir, policyV2: "policy: v2\n", policyV3: "policy: v3\n"}
	snap := map[string]string{
		"README.md":           "# readme\n",
		"aims/policy.yaml":    "policy: v1\n",
		"aims/risks/r1.yaml":  "id: R1\n",
		"aims/both.yaml":      "both: base\n",
		"aims/dup.yaml":       "dup: base\n",
		"aims/old.yaml":       "old: 1\n",
		"aims/link.yaml":      linkPrefix + "policy.yaml",
		"aims/tools/check.sh": execPrefix + "#!/bin/sh\n",
	}
	s.c1 = b.commit(snap, "Initial AIMS\n", day(0))
	snap = with(snap, "aims/policy.yaml", s.policyV2)
	s.c2 = b.commit(snap, "Second policy\n\nWith a body.\n", day(1), s.c1)
	b.ref("refs/tags/v1", s.c2)

	feature := with(snap, "aims/risks/r2.yaml", "id: R2\n")
	feature = with(feature, "aims/both.yaml", "both: feature\n")
	feature = with(feature, "aims/dup.yaml", "dup: same\n")
	s.f1 = b.commit(feature, "Add R2 on a branch\n", day(2), s.c2)
	b.ref("refs/heads/feature", s.f1)

	snap = with(snap, "aims/both.yaml", "both: main\n")
	snap = with(snap, "aims/dup.yaml", "dup: same\n")
	snap = with(snap, "aims/old.yaml", "")
	s.c3 = b.commit(snap, "Main work\n", day(3), s.c2)

	snap = with(snap, "aims/risks/r2.yaml", "id: R2\n")
	snap = with(snap, "aims/both.yaml", "both: resolved\n")
	s.m = b.commit(snap, "Merge branch 'feature'\n", day(4), s.c3, s.f1)
	b.annotatedTag("v2", s.m, day(4))

	snap = with(snap, "aims/policy.yaml", s.policyV3)
	snap = with(snap, "aims/risks/deep/r3.yaml", "id: R3\n")
	s.c4 = b.commit(snap, "Third policy\n", day(5), s.m)

	s.oldVersion = "old: 2\n"
	snap = with(snap, "aims/old.yaml", s.oldVersion)
	s.c5 = b.commit(snap, "Bring old back\n", day(6), s.c4)
	b.ref("refs/heads/main", s.c5)
	b.checkout()
	return s
}

// with returns a copy of snap with p set to data, or removed when data is "".
func with(snap map[string]string, p, data string) map[string]string {
	out := make(map[string]string, len(snap)+1)
	for k, v := range snap {
		out[k] = v
	}
	if data == "" {
		delete(out, p)
	} else {
		out[p] = data
	}
	return out
}

func openRepo(tb testing.TB, dir string) *Repo {
	tb.Helper()
	r, err := Open(dir)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = r.Close() })
	return r
}

func writeFile(tb testing.TB, name, data string) {
	tb.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// gitBinary returns the git binary or skips: comparisons with real git are
// the strongest check we have, but the package must not need git to work.
func gitBinary(tb testing.TB) string {
	tb.Helper()
	p, err := exec.LookPath("git")
	if err != nil {
		tb.Skip("git binary not installed")
	}
	return p
}

// runGit runs git in dir without the user's configuration, which could
// change log output (log.follow, for one).
func runGit(tb testing.TB, dir string, stdin []byte, args ...string) string {
	tb.Helper()
	cmd := exec.Command(gitBinary(tb), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}
