package main

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/rogpeppe/go-internal/testscript"
)

// Git fixtures for scripts, built with go-git so tests need no git binary:
//
//	git-init DIR
//	git-commit DIR DATE MESSAGE   (stages every change in DIR's work tree)
//	git-tag DIR NAME
//	git-shallow DIR  (marks HEAD's parent as the shallow boundary, as a
//	                  shallow clone of depth 1 has it)
//	git-corrupt DIR REV PATH  (overwrites the loose object of the blob or
//	                  tree at PATH in REV with bytes that do not inflate)
func gitCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"git-init":    cmdGitInit,
		"git-commit":  cmdGitCommit,
		"git-tag":     cmdGitTag,
		"git-shallow": cmdGitShallow,
		"git-corrupt": cmdGitCorrupt,
	}
}

func cmdGitCorrupt(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 3 {
		ts.Fatalf("usage: git-corrupt DIR REV PATH")
	}
	dir := ts.MkAbs(args[0])
	repo, err := git.PlainOpen(dir)
	ts.Check(err)
	h, err := repo.ResolveRevision(plumbing.Revision(args[1]))
	ts.Check(err)
	c, err := repo.CommitObject(*h)
	ts.Check(err)
	tree, err := c.Tree()
	ts.Check(err)
	e, err := tree.FindEntry(args[2])
	ts.Check(err)
	name := filepath.Join(dir, ".git", "objects", e.Hash.String()[:2], e.Hash.String()[2:])
	ts.Check(os.Chmod(name, 0o644))
	ts.Check(os.WriteFile(name, []byte("not zlib at all"), 0o644))
	ts.Logf("corrupted %s %s", args[2], e.Hash)
}

func cmdGitShallow(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: git-shallow DIR")
	}
	repo, err := git.PlainOpen(ts.MkAbs(args[0]))
	ts.Check(err)
	head, err := repo.Head()
	ts.Check(err)
	ts.Check(repo.Storer.SetShallow([]plumbing.Hash{head.Hash()}))
}

func cmdGitInit(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: git-init DIR")
	}
	_, err := git.PlainInit(ts.MkAbs(args[0]), false)
	ts.Check(err)
}

func cmdGitCommit(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 3 {
		ts.Fatalf("usage: git-commit DIR DATE MESSAGE")
	}
	ts.Check(commitAll(ts.MkAbs(args[0]), args[1], strings.Join(args[2:], " ")))
}

// commitAll stages every change in the work tree of the repository at dir
// and commits it at noon UTC on date (YYYY-MM-DD).
func commitAll(dir, date, msg string) error {
	repo, err := git.PlainOpen(dir)
	if err != nil {
		return err
	}
	wt, err := repo.Worktree()
	if err != nil {
		return err
	}
	if err := wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
		return err
	}
	when, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return err
	}
	sig := &object.Signature{Name: "Ann Auditor", Email: "ann@example.com", When: when.Add(12 * time.Hour)}
	_, err = wt.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig, AllowEmptyCommits: true})
	return err
}

func cmdGitTag(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: git-tag DIR NAME")
	}
	repo, err := git.PlainOpen(ts.MkAbs(args[0]))
	ts.Check(err)
	head, err := repo.Head()
	ts.Check(err)
	_, err = repo.CreateTag(args[1], head.Hash(), nil)
	ts.Check(err)
}
