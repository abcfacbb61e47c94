package workspace

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/aims-dev/aims/pkg/cache"
	"github.com/aims-dev/aims/pkg/vcs"
)

// sameProvenance reports how two walks differ, dates compared as the
// report writes them (instant, zone name and offset).
func sameProvenance(t *testing.T, want, got vcs.Provenance) {
	t.Helper()
	if want.Incomplete != got.Incomplete || len(want.Files) != len(got.Files) {
		t.Fatalf("incomplete %v, %d files; want %v, %d", got.Incomplete, len(got.Files), want.Incomplete, len(want.Files))
	}
	when := func(tm time.Time) string {
		return tm.Format(time.RFC3339Nano+" MST") + " utc=" + map[bool]string{true: "yes", false: "no"}[tm.Location() == time.UTC]
	}
	for f, h := range want.Files {
		g := got.Files[f].Commits
		if len(g) != len(h.Commits) {
			t.Errorf("%s: %d commits, want %d", f, len(g), len(h.Commits))
			continue
		}
		for i, c := range h.Commits {
			d := g[i]
			if c.Hash != d.Hash || c.Author != d.Author || c.Email != d.Email || c.Subject != d.Subject ||
				when(c.When) != when(d.When) || when(c.Committed) != when(d.Committed) {
				t.Errorf("%s commit %d:\n got %+v (%s, %s)\nwant %+v (%s, %s)", f, i, d, when(d.When), when(d.Committed), c, when(c.When), when(c.Committed))
			}
		}
	}
}

// A walk of history kept in the cache is the walk: every file's commits,
// with their dates in the zones git recorded (UTC, a named zone written as
// its offset, a negative half-hour offset, +0000), and a second run at the
// same commit reads it instead of walking: it succeeds with the older
// commits' objects gone.
func TestProvenanceCached(t *testing.T) {
	f := newRepo(t)
	zones := []*time.Location{time.UTC, time.FixedZone("CET", 3600), time.FixedZone("", -(3*3600 + 1800)), time.FixedZone("", 0)}
	wt, err := f.repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	when := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	f.write("aims/aims.yaml", "apiVersion: aims/v1\nkind: Manifest\norganization: {name: Org}\n")
	f.write("aims/people.yaml", "apiVersion: aims/v1\nkind: Person\nid: ann\nname: Ann\n")
	for i, z := range zones {
		f.write("aims/policy.md", policyDoc("1.0", "2026-01-10", strings.Repeat("Text. ", i+1)))
		if i%2 == 1 {
			f.write("aims/notes/n.md", "note "+z.String())
		}
		if err := wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
			t.Fatal(err)
		}
		author := &object.Signature{Name: "Ann", Email: "ann@example.com", When: when.In(z)}
		committer := &object.Signature{Name: "Bo", Email: "bo@example.com", When: when.Add(time.Minute).In(zones[(i+1)%len(zones)])}
		if _, err := wt.Commit("change "+z.String()+"\n\nbody", &git.CommitOptions{Author: author, Committer: committer}); err != nil {
			t.Fatal(err)
		}
		when = when.Add(36 * time.Hour)
	}
	root := filepath.Join(f.dir, "aims")
	walk := func(store *cache.Store) vcs.Provenance {
		t.Helper()
		var opts []Option
		if store != nil {
			opts = append(opts, WithCache(store))
		}
		w, err := OpenAt(root, "", opts...)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		p, err := w.Source.History()
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	want := walk(nil)
	if len(want.Files["policy.md"].Commits) != len(zones) {
		t.Fatalf("policy.md has %d commits, want %d: the fixture changed", len(want.Files["policy.md"].Commits), len(zones))
	}
	b, ok := encodeProvenance(want)
	if !ok {
		t.Fatal("the walk cannot be encoded")
	}
	got, ok := decodeProvenance(b)
	if !ok {
		t.Fatal("the encoded walk cannot be decoded")
	}
	sameProvenance(t, want, got)
	for _, cut := range []int{0, 1, len(b) / 2, len(b) - 1} {
		if _, ok := decodeProvenance(b[:cut]); ok {
			t.Errorf("a walk cut to %d of %d bytes was decoded", cut, len(b))
		}
	}

	dir := t.TempDir()
	sameProvenance(t, want, walk(cache.Open(dir))) // walked, then kept
	// Without every commit but HEAD's objects, only the kept walk can
	// answer.
	head, err := f.repo.Head()
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.repo.CommitObject(head.Hash())
	if err != nil {
		t.Fatal(err)
	}
	for _, parent := range c.ParentHashes {
		h := parent.String()
		if err := os.Remove(filepath.Join(f.dir, ".git", "objects", h[:2], h[2:])); err != nil {
			t.Fatal(err)
		}
	}
	sameProvenance(t, want, walk(cache.Open(dir)))
	w, err := OpenAt(root, "")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.Source.History(); err == nil {
		t.Error("a walk without the cache succeeded with a commit missing: the test proves nothing")
	}

	// The next commits change files: their walk is the kept one extended,
	// which needs only the new commits and the one before them (a walk
	// would fail on the deleted objects). The expected walk is the kept
	// one with the new commits in front, as git log would list them.
	var added []vcs.Commit
	for i, name := range []string{"aims/policy.md", "aims/people.yaml"} {
		f.write(name, "changed "+name+"\n")
		if err := wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
			t.Fatal(err)
		}
		sig := &object.Signature{Name: "Cy", Email: "cy@example.com", When: when.Add(time.Duration(i) * time.Hour).In(zones[1])}
		h, err := wt.Commit("later "+name, &git.CommitOptions{Author: sig, Committer: sig})
		if err != nil {
			t.Fatal(err)
		}
		// git keeps the offset, not the zone's name.
		_, offset := sig.When.Zone()
		at := sig.When.In(time.FixedZone("", offset))
		added = append(added, vcs.Commit{Hash: h.String(), Author: "Cy", Email: "cy@example.com", When: at, Committed: at, Subject: "later " + name})
	}
	next := vcs.Provenance{Files: map[string]vcs.History{}}
	for file, h := range want.Files {
		next.Files[file] = h
	}
	next.Files["policy.md"] = vcs.History{Commits: append([]vcs.Commit{added[0]}, want.Files["policy.md"].Commits...)}
	next.Files["people.yaml"] = vcs.History{Commits: append([]vcs.Commit{added[1]}, want.Files["people.yaml"].Commits...)}
	sameProvenance(t, next, walk(cache.Open(dir)))

	// A commit that adds a file: the file's history before it was added is
	// not in the kept walk, and is walked for it alone from the kept
	// commit, here failing on the deleted objects rather than answering
	// from the cache.
	f.write("aims/new.md", "new\n")
	if err := wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
		t.Fatal(err)
	}
	sig := &object.Signature{Name: "Cy", Email: "cy@example.com", When: when.Add(5 * time.Hour)}
	if _, err := wt.Commit("add a file", &git.CommitOptions{Author: sig, Committer: sig}); err != nil {
		t.Fatal(err)
	}
	w2, err := OpenAt(root, "", WithCache(cache.Open(dir)))
	if err != nil {
		t.Fatal(err)
	}
	defer w2.Close()
	if _, err := w2.Source.History(); err == nil {
		t.Error("a commit adding a file was answered from the kept walk alone; its older history must be walked")
	}
}
