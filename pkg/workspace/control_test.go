package workspace

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/google/go-cmp/cmp"

	"github.com/aims-dev/aims/pkg/cache"
	"github.com/aims-dev/aims/pkg/gap"
)

type fixtureRepo struct {
	t    *testing.T
	dir  string
	repo *git.Repository
}

func newRepo(t *testing.T) *fixtureRepo {
	dir := t.TempDir()
	r, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	return &fixtureRepo{t, dir, r}
}

func (f *fixtureRepo) write(name, body string) {
	p := filepath.Join(f.dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		f.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixtureRepo) commit(date, msg string) {
	wt, err := f.repo.Worktree()
	if err != nil {
		f.t.Fatal(err)
	}
	if err := wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
		f.t.Fatal(err)
	}
	when, _ := time.Parse(time.DateOnly, date)
	sig := &object.Signature{Name: "Ann", Email: "ann@example.com", When: when.Add(9 * time.Hour)}
	if _, err := wt.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig}); err != nil {
		f.t.Fatal(err)
	}
}

const policy = `---
apiVersion: aims/v1
kind: Policy
id: ai-policy
type: ai_policy
title: AI policy
owner: ann
version: "%s"
approved_by: ann
approved_on: %s
---
%s
`

func policyDoc(version, approved, text string) string {
	return fmt.Sprintf(policy, version, approved, text)
}

func TestDocumentControl(t *testing.T) {
	f := newRepo(t)
	f.write("aims/aims.yaml", "apiVersion: aims/v1\nkind: Manifest\norganization: {name: Org}\n")
	f.write("aims/people.yaml", "apiVersion: aims/v1\nkind: Person\nid: ann\nname: Ann\n")
	f.write("aims/policy.md", policyDoc("0.9", "2026-01-01", "Draft text."))
	f.commit("2026-01-01", "draft policy")
	// Approval recorded a few days after the approval date: covered.
	f.write("aims/policy.md", policyDoc("1.0", "2026-01-10", "Approved text."))
	f.commit("2026-01-12", "record approval of the AI policy")

	dc := control(t, f)
	if dc.ChangedAfterApproval {
		t.Fatalf("a commit that records the approval is flagged: %s", dc.Note)
	}
	if len(dc.Commits) != 2 || dc.Commits[0].Subject != "record approval of the AI policy" {
		t.Errorf("history = %+v, want both commits newest first", dc.Commits)
	}

	// The text changes later without a new approval: flagged.
	f.write("aims/policy.md", policyDoc("1.0", "2026-01-10", "Quietly changed text."))
	f.commit("2026-03-05", "reword the policy")
	dc = control(t, f)
	if !dc.ChangedAfterApproval || !strings.Contains(dc.Note, `of 2026-03-05 by Ann ("reword the policy")`) || !strings.Contains(dc.Note, "after its approval on 2026-01-10") {
		t.Errorf("changed after approval = %v, note %q", dc.ChangedAfterApproval, dc.Note)
	}
}

// The approval check compares content: a later commit that moves
// approved_on together with an edit is the one that records the approval
// (so its author is what G098 judges), and an uncommitted edit after the
// recorded approval is a change too.
func TestApprovals(t *testing.T) {
	f := newRepo(t)
	f.write("aims/aims.yaml", "apiVersion: aims/v1\nkind: Manifest\norganization: {name: Org}\n")
	f.write("aims/people.yaml", "apiVersion: aims/v1\nkind: Person\nid: ann\nname: Ann\n")
	f.write("aims/policy.md", policyDoc("1.0", "2026-01-10", "Approved text."))
	f.commit("2026-01-12", "record approval of the AI policy")
	f.write("aims/policy.md", policyDoc("1.1", "2026-02-01", "Edited and re-dated text."))
	f.commit("2026-02-02", "edit the policy and move approved_on")

	rec := approval(t, f)
	if rec.Date != "2026-02-02" || rec.ChangedIn != "" {
		t.Errorf("record = %+v, want the approval recorded by the 2026-02-02 commit and no change since", rec)
	}

	f.write("aims/policy.md", policyDoc("1.1", "2026-02-01", "Edited again, not committed."))
	rec = approval(t, f)
	if rec.Date != "2026-02-02" || rec.ChangedIn != "an uncommitted edit" {
		t.Errorf("record = %+v, want an uncommitted edit after the 2026-02-02 approval", rec)
	}
}

func approval(t *testing.T, f *fixtureRepo) gap.ApprovalRecord {
	t.Helper()
	w, err := OpenAt(filepath.Join(f.dir, "aims"), "")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	recs, err := w.Approvals()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r.ID == "ai-policy" {
			return r
		}
	}
	t.Fatal("no approval record for ai-policy")
	return gap.ApprovalRecord{}
}

func control(t *testing.T, f *fixtureRepo) DocControl {
	t.Helper()
	w, err := OpenAt(filepath.Join(f.dir, "aims"), "")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if w.Source.Prefix != "aims" {
		t.Errorf("prefix = %q, want the AIMS's folder in the repository", w.Source.Prefix)
	}
	docs, err := w.DocumentControl()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if d.Doc.Header().ID == "ai-policy" {
			return d
		}
	}
	t.Fatal("no control record for ai-policy")
	return DocControl{}
}

// Approval records read from the cache are the records computed without
// it, in every case the check tells apart: an approval never committed,
// one covering its text, text changed by a later commit, and an
// uncommitted edit; after each new commit and edit, and when the cache
// holds a corrupt or out-of-range answer. A warm run reads no old version
// of any file.
func TestApprovalsCached(t *testing.T) {
	f := newRepo(t)
	f.write("aims/aims.yaml", "apiVersion: aims/v1\nkind: Manifest\norganization: {name: Org}\n")
	f.write("aims/people.yaml", "apiVersion: aims/v1\nkind: Person\nid: ann\nname: Ann\n")
	f.write("aims/policy.md", policyDoc("1.0", "2026-01-10", "Approved text."))
	f.commit("2026-01-12", "record approval of the AI policy")
	cacheDir := t.TempDir()
	records := func(withCache bool) ([]gap.ApprovalRecord, int) {
		t.Helper()
		var opts []Option
		if withCache {
			opts = append(opts, WithCache(cache.Open(cacheDir)))
		}
		w, err := OpenAt(filepath.Join(f.dir, "aims"), "", opts...)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		recs, err := w.Approvals()
		if err != nil {
			t.Fatal(err)
		}
		return recs, w.approvalParses
	}
	same := func(step string) {
		t.Helper()
		want, _ := records(false)
		if len(want) == 0 {
			t.Fatalf("%s: no approval records: the test checks nothing", step)
		}
		first, _ := records(true)
		warm, parses := records(true)
		if diff := cmp.Diff(want, first); diff != "" {
			t.Errorf("%s, first run with the cache (-without +with):\n%s", step, diff)
		}
		if diff := cmp.Diff(want, warm); diff != "" {
			t.Errorf("%s, warm run (-without +with):\n%s", step, diff)
		}
		if parses != 0 {
			t.Errorf("%s: the warm run read %d old versions, want none", step, parses)
		}
	}
	same("approved, unchanged")

	f.write("aims/procedure.md", strings.Replace(policyDoc("1.0", "2026-02-01", "Not committed."), "ai-policy", "proc", 1))
	same("an approval not committed yet")

	f.write("aims/policy.md", policyDoc("1.0", "2026-01-10", "Quietly changed text."))
	f.commit("2026-03-05", "reword the policy")
	same("changed by a later commit")

	f.write("aims/policy.md", policyDoc("1.0", "2026-01-10", "Changed again, not committed."))
	same("an uncommitted edit")

	f.commit("2026-04-01", "commit the edit") // same text, a new commit
	same("the edit committed")

	// Answers no run could have written (malformed, or naming a commit
	// the file does not have) are never trusted: each is recomputed. (A
	// corrupt entry never gets this far: the store checks its digest.)
	w, err := OpenAt(filepath.Join(f.dir, "aims"), "", WithCache(cache.Open(cacheDir)))
	if err != nil {
		t.Fatal(err)
	}
	var keys []cache.Key
	for _, doc := range w.Model.All {
		if m := doc.Header(); m.Doc != nil && m.ApprovedBy != "" {
			prov, _ := w.Source.History()
			k, ok := w.approvalKey(m.Doc, prov.Files[m.Doc.File].Commits)
			if !ok {
				t.Fatal("no cache key for an approved document")
			}
			keys = append(keys, k)
		}
	}
	w.Close()
	want, _ := records(false)
	for _, bad := range [][]byte{{}, {0x7f}, {6, 1}, {0, 4}, {1}, {2, 1, 1}} {
		s := cache.Open(cacheDir)
		for _, k := range keys {
			s.Put(k, bad)
		}
		s.Flush()
		got, parses := records(true)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("cache entry %v (-without +with):\n%s", bad, diff)
		}
		if parses == 0 {
			t.Errorf("cache entry %v was trusted: no version read", bad)
		}
	}
}
