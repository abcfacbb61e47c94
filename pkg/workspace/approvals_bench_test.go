package workspace

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// northwindRepo commits a copy of examples/northwind, then commits more
// edits, each adding a comment line to one of a few approved files in
// turn: the approvals never change, so finding the commit that recorded
// each one walks back through every version of its file (the worst case).
func northwindRepo(b *testing.B, edits int) string {
	b.Helper()
	dir := b.TempDir()
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.CopyFS(dir, os.DirFS("../../examples/northwind")); err != nil {
		b.Fatal(err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		b.Fatal(err)
	}
	when := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	commit := func(msg string) {
		if err := wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
			b.Fatal(err)
		}
		sig := &object.Signature{Name: "Amira Haddad", Email: "amira.haddad@northwind-lending.example", When: when}
		if _, err := wt.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig}); err != nil {
			b.Fatal(err)
		}
		when = when.Add(time.Hour)
	}
	commit("Northwind AIMS")
	files := []string{"organization/roles.yaml", "risk/register.yaml", "soa.yaml", "scope.yaml", "planning/objectives.yaml"}
	for i := range edits {
		p := filepath.Join(dir, files[i%len(files)])
		f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			b.Fatal(err)
		}
		fmt.Fprintf(f, "# reviewed %d\n", i)
		f.Close()
		commit(fmt.Sprintf("edit %d", i))
	}
	return dir
}

// BenchmarkApprovals measures what document control adds to `aims check`
// in git: the provenance walk (shared with report and evidence dates) and
// the approval records, against opening the workspace alone.
func BenchmarkApprovals(b *testing.B) {
	dir := northwindRepo(b, 300)
	b.Run("open", func(b *testing.B) {
		for b.Loop() {
			w, err := OpenAt(dir, "")
			if err != nil {
				b.Fatal(err)
			}
			w.Close()
		}
	})
	b.Run("open+history", func(b *testing.B) {
		for b.Loop() {
			w, err := OpenAt(dir, "")
			if err != nil {
				b.Fatal(err)
			}
			if _, err := w.Source.History(); err != nil {
				b.Fatal(err)
			}
			w.Close()
		}
	})
	b.Run("open+history+approvals", func(b *testing.B) {
		for b.Loop() {
			w, err := OpenAt(dir, "")
			if err != nil {
				b.Fatal(err)
			}
			recs, err := w.Approvals()
			if err != nil || len(recs) == 0 {
				b.Fatal(err, len(recs))
			}
			b.ReportMetric(float64(w.approvalParses), "versions-read/op")
			b.ReportMetric(float64(len(recs)), "approvals/op")
			w.Close()
		}
	})
}
