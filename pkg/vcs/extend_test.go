package vcs

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/google/go-cmp/cmp"
)

// details is each file's history with every field a report shows.
func details(p Provenance) map[string][]string {
	out := make(map[string][]string, len(p.Files))
	for name, h := range p.Files {
		for _, c := range h.Commits {
			out[name] = append(out[name], fmt.Sprintf("%s %s <%s> %s %s %q", c.Hash, c.Author, c.Email,
				c.When.Format(time.RFC3339+" MST"), c.Committed.Format(time.RFC3339+" MST"), c.Subject))
		}
	}
	return out
}

// A walk extended along first parents is the walk at the chain's newest
// commit, for every commit of random histories (merges resolved every way,
// clock skew, ties; files deleted and added again, a path that flips
// between file and folder), chains of one to three steps, both prefixes,
// chains that add files or cross merges included.
func TestExtendIsTheWalk(t *testing.T) {
	for _, tc := range []struct {
		name  string
		seed  uint64
		dates dateMode
	}{{"ordered dates", 5, orderedDates}, {"clock skew", 3, skewedDates}, {"all in one second", 4, sameDate}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			randomRepo(t, dir, tc.seed, 60, tc.dates)
			r := openRepo(t, dir)
			var commits []string
			iter, err := r.st.IterEncodedObjects(plumbing.CommitObject)
			if err != nil {
				t.Fatal(err)
			}
			if err := iter.ForEach(func(o plumbing.EncodedObject) error {
				commits = append(commits, o.Hash().String())
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			slices.Sort(commits)
			extended, adding, merging := 0, 0, 0
			isMerge := func(h string) bool {
				c, err := (&walk{r: r, commits: map[plumbing.Hash]*wcommit{}}).commit(plumbing.NewHash(h))
				if err != nil {
					t.Fatal(err)
				}
				return len(c.parents) > 1
			}
			walks := map[[2]string]Provenance{}
			walk := func(c, prefix string) Provenance {
				t.Helper()
				k := [2]string{c, prefix}
				if p, ok := walks[k]; ok {
					return p
				}
				p, err := r.Provenance(c, prefix)
				if err != nil {
					t.Fatal(err)
				}
				walks[k] = p
				return p
			}
			for _, c := range commits {
				chain, err := r.Chain(c, 4, nil)
				if err != nil {
					t.Fatal(err)
				}
				if chain[0] != c {
					t.Fatalf("Chain(%s) starts at %s", c, chain[0])
				}
				for n := 2; n <= len(chain); n++ {
					for _, prefix := range []string{"sub/aims", ""} {
						base := walk(chain[n-1], prefix)
						got, ok, err := r.Extend(base, prefix, chain[:n])
						if err != nil || !ok {
							t.Fatalf("Extend(%s, %d back) = %v, %v", c[:7], n-1, ok, err)
						}
						extended++
						if slices.ContainsFunc(chain[:n-1], isMerge) {
							merging++
						}
						want := walk(c, prefix)
						for f := range want.Files {
							if _, ok := base.Files[f]; !ok {
								adding++
								break
							}
						}
						if got.Incomplete != want.Incomplete {
							t.Errorf("%s from %d back, prefix %q: incomplete %v, want %v", c[:7], n-1, prefix, got.Incomplete, want.Incomplete)
						}
						if diff := cmp.Diff(details(want), details(got)); diff != "" {
							t.Errorf("%s from %d back, prefix %q (-walk +extended):\n%s", c[:7], n-1, prefix, diff)
						}
					}
				}
			}
			t.Logf("%d extensions, %d adding files, %d across merges", extended, adding, merging)
			if extended < 150 || adding < 30 || merging < 30 {
				t.Fatalf("%d extensions, %d adding files, %d across merges: the histories no longer test all three", extended, adding, merging)
			}
		})
	}
}

// In a shallow clone the chain stops at the boundary, and a walk extended
// from there is the walk, incomplete like it.
func TestExtendShallow(t *testing.T) {
	gitBinary(t)
	dir := t.TempDir()
	runGit(t, dir, nil, "init", "--quiet", "-b", "main")
	write := func(name, body string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i, change := range []string{"aims/a.yaml", "aims/b.yaml", "aims/a.yaml", "aims/b.yaml", "aims/a.yaml"} {
		if i == 0 {
			write("aims/b.yaml", "b\n")
		}
		write(change, fmt.Sprintf("v%d\n", i))
		runGit(t, dir, nil, "add", "-A")
		runGit(t, dir, nil, "commit", "--quiet", "-m", fmt.Sprintf("change %d", i), "--date", fmt.Sprintf("2026-01-0%d 10:00:00 +0100", i+1))
	}
	clone := filepath.Join(t.TempDir(), "clone")
	runGit(t, dir, nil, "clone", "--quiet", "--depth", "3", "--no-local", "file://"+dir, clone)
	r := openRepo(t, clone)
	head, err := r.Resolve("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	chain, err := r.Chain(head.Hash, 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(chain) != 3 {
		t.Fatalf("chain of %d commits in a --depth 3 clone, want 3 (it must stop at the boundary)", len(chain))
	}
	base, err := r.Provenance(chain[2], "aims")
	if err != nil {
		t.Fatal(err)
	}
	want, err := r.Provenance("HEAD", "aims")
	if err != nil {
		t.Fatal(err)
	}
	got, ok, err := r.Extend(base, "aims", chain)
	if err != nil || !ok {
		t.Fatalf("Extend = %v, %v; the last commits add no file", ok, err)
	}
	if !got.Incomplete || !want.Incomplete {
		t.Errorf("incomplete: extended %v, walked %v; want both", got.Incomplete, want.Incomplete)
	}
	if diff := cmp.Diff(details(want), details(got)); diff != "" {
		t.Errorf("(-walk +extended):\n%s", diff)
	}
}
