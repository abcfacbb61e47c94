package main

import (
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
func gitCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"git-init":    cmdGitInit,
		"git-commit":  cmdGitCommit,
		"git-tag":     cmdGitTag,
		"git-shallow": cmdGitShallow,
	}
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
