package workspace

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/google/go-cmp/cmp"

	"github.com/aims-dev/aims/pkg/cache"
	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/gap"
	"github.com/aims-dev/aims/pkg/synth"
)

// analysed is everything a run reports: the diagnostics of every stage,
// the findings and the whole gap analysis, as text.
func analysed(t *testing.T, w *Workspace) string {
	t.Helper()
	opts := gap.Options{Now: asOf, Tiers: w.Tiers, FileExists: w.FileExists, Digest: w.FileDigest}
	if w.Source != nil && w.Source.Versioned { // as cmd/aims analyses
		opts.Versioned, opts.LastChanged = true, w.Source.LastChanged
		var err error
		if opts.Approvals, err = w.Approvals(); err != nil {
			t.Fatal(err)
		}
	}
	// As check does: references may still be checked (LinkLater).
	opts.Prior = func() diag.List {
		must(t, w.Linked())
		return w.Diags
	}
	res := gap.Analyze(w.Model, w.Catalog, w.Diags, opts)
	var b strings.Builder
	for _, d := range w.Set.Docs {
		fmt.Fprintf(&b, "doc %s %s %s\n", d.File, d.Kind, d.ID)
	}
	for _, d := range append(slices.Clone(w.Diags), res.Findings...) {
		fmt.Fprintf(&b, "%s\n", d)
	}
	j, err := json.MarshalIndent(res, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	b.Write(j)
	return b.String()
}

// sameAsPlain runs the AIMS at dir through r, as a served check does, and
// as a plain run, and fails the test when their analyses differ; it
// returns the analysis.
func sameAsPlain(t *testing.T, r *Resident, dir, name string, opts ...Option) string {
	t.Helper()
	w, err := r.Open(dir, nil, append([]Option{Lean(), LinkLater()}, opts...)...)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	got := analysed(t, w)
	w.Close()
	p, err := OpenAt(dir, "", append([]Option{Lean(), WithCache(cache.Open(t.TempDir()))}, opts...)...)
	must(t, err)
	want := analysed(t, p)
	p.Close()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("%s (-plain run +resident):\n%s", name, diff)
	}
	return got
}

func residentAIMS(t *testing.T, systems int) string {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("a Resident needs file events (Linux)")
	}
	files, err := synth.Generate(systems)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := synth.Write(dir, files); err != nil {
		t.Fatal(err)
	}
	return dir
}

// edits are changes a user or a tool makes to an AIMS between two runs,
// each through the file system as they would.
var edits = []struct {
	name string
	do   func(t *testing.T, rng *rand.Rand, dir string, files []string) string
}{
	{"edit a value", func(t *testing.T, rng *rand.Rand, dir string, files []string) string {
		p := pick(rng, files, ".yaml")
		rewrite(t, dir, p, func(b []byte) []byte {
			return bytes.Replace(b, []byte("title: "), []byte("title: Edited "), 1)
		})
		return p
	}},
	{"add a comment", func(t *testing.T, rng *rand.Rand, dir string, files []string) string {
		p := pick(rng, files, ".yaml")
		rewrite(t, dir, p, func(b []byte) []byte { return append(b, "\n# reviewed\n"...) })
		return p
	}},
	{"break the syntax", func(t *testing.T, rng *rand.Rand, dir string, files []string) string {
		p := pick(rng, files, ".yaml")
		rewrite(t, dir, p, func(b []byte) []byte { return append(b, "\nid: [unclosed\n"...) })
		return p
	}},
	{"remove a document", func(t *testing.T, rng *rand.Rand, dir string, files []string) string {
		p := pick(rng, files, ".yaml")
		must(t, os.Remove(filepath.Join(dir, p)))
		return p
	}},
	{"copy a document into a new folder", func(t *testing.T, rng *rand.Rand, dir string, files []string) string {
		p := pick(rng, files, ".yaml")
		b, err := os.ReadFile(filepath.Join(dir, p))
		must(t, err)
		q := fmt.Sprintf("new-%d/%s", rng.IntN(1000), filepath.Base(p))
		must(t, os.MkdirAll(filepath.Join(dir, filepath.Dir(q)), 0o755))
		must(t, os.WriteFile(filepath.Join(dir, q), b, 0o644))
		return q
	}},
	{"rename a document", func(t *testing.T, rng *rand.Rand, dir string, files []string) string {
		p := pick(rng, files, ".yaml")
		q := strings.TrimSuffix(p, ".yaml") + "-moved.yaml"
		must(t, os.Rename(filepath.Join(dir, p), filepath.Join(dir, q)))
		return q
	}},
	{"empty an evidence file", func(t *testing.T, rng *rand.Rand, dir string, files []string) string {
		p := pick(rng, files, ".md", ".pdf", ".txt", ".csv")
		must(t, os.WriteFile(filepath.Join(dir, p), nil, 0o644))
		return p
	}},
	{"change a result", func(t *testing.T, rng *rand.Rand, dir string, files []string) string {
		p := pick(rng, files, ".json")
		rewrite(t, dir, p, func(b []byte) []byte { return bytes.Replace(b, []byte(`"value": 0.`), []byte(`"value": 0.9`), 1) })
		return p
	}},
	{"remove an evidence folder", func(t *testing.T, rng *rand.Rand, dir string, files []string) string {
		p := filepath.Dir(pick(rng, files, ".md", ".pdf", ".txt", ".csv"))
		must(t, os.RemoveAll(filepath.Join(dir, p)))
		return p
	}},
	{"edit the manifest", func(t *testing.T, rng *rand.Rand, dir string, files []string) string {
		rewrite(t, dir, "aims.yaml", func(b []byte) []byte {
			return append(b, "\n# reviewed\n"...)
		})
		return "aims.yaml"
	}},
}

// pick is a random file among those whose path holds one of parts
// (evidence files: their extensions, and under evidence/).
func pick(rng *rand.Rand, files []string, parts ...string) string {
	var some []string
	for _, f := range files {
		for _, part := range parts {
			evidence := part != ".yaml" && part != ".json"
			if strings.Contains(f, part) && f != "aims.yaml" && (!evidence || strings.HasPrefix(f, "evidence/")) {
				some = append(some, f)
				break
			}
		}
	}
	return some[rng.IntN(len(some))]
}

// rewrite changes file p in place, as an editor that writes over it does.
func rewrite(t *testing.T, dir, p string, f func([]byte) []byte) {
	t.Helper()
	path := filepath.Join(dir, p)
	b, err := os.ReadFile(path)
	must(t, err)
	fh, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	must(t, err)
	_, err = fh.Write(f(b))
	must(t, err)
	must(t, fh.Close())
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func listFiles(t *testing.T, dir string) []string {
	var files []string
	must(t, filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return err
	}))
	return files
}

// Run after run, with random edits between them, a Resident answers what a
// plain run of the same tree answers, and takes the unchanged files from
// memory.
func TestResidentAnswersAsAPlainRun(t *testing.T) {
	dir := residentAIMS(t, 3)
	cacheDir := t.TempDir()
	r, err := NewResident(dir, cache.Open(cacheDir))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	// Every file old enough for its identity to count, as an hour later:
	// the racy window is cache.Identity's to test; here an identity kept
	// from before an edit must never be trusted after it.
	later := startedAt(time.Now().Add(time.Hour))
	run := func(name string) {
		t.Helper()
		sameAsPlain(t, r, dir, name, later)
	}
	run("first run")
	run("nothing changed")
	if n := r.memo.Len(); n < 100 {
		t.Fatalf("the memo holds %d files", n)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	for i := range 40 {
		e := edits[rng.IntN(len(edits))]
		if i < len(edits) {
			e = edits[i] // each at least once
		}
		time.Sleep(5 * time.Millisecond) // past the file system's timestamp granularity
		p := e.do(t, rng, dir, listFiles(t, dir))
		run(fmt.Sprintf("after edit %d, %s (%s)", i, e.name, p))
	}
	if r.Runs() < 40 {
		t.Errorf("%d runs", r.Runs())
	}
	// What the runs parsed reaches the cache once the Resident flushes, for
	// the plain runs after it.
	if files, _ := filepath.Glob(filepath.Join(cacheDir, "*.pack")); len(files) != 0 {
		t.Errorf("the runs flushed the cache themselves: %v", files)
	}
	r.Flush()
	p, err := OpenAt(dir, "", Lean(), WithCache(cache.Open(cacheDir)), later)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if n := len(listFiles(t, dir)); p.Set.Cached == 0 {
		t.Errorf("a plain run after the Resident flushed took none of %d files from the cache", n)
	}
}

// In git, runs also read the history: evidence dates and approvals follow
// HEAD as commits are made, and an approved document edited since its
// approval is caught whether the edit is committed or not.
func TestResidentAnswersAsAPlainRunInGit(t *testing.T) {
	dir := residentAIMS(t, 1)
	// The example switches document control off (its history is not the
	// AIMS's); here it is what the runs must agree on.
	rewrite(t, dir, "aims.yaml", func(b []byte) []byte {
		return bytes.ReplaceAll(b, []byte(`severity: "off"`), []byte(`severity: "error"`))
	})
	repo, err := git.PlainInit(dir, false)
	must(t, err)
	day := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	commit := func() {
		wt, err := repo.Worktree()
		must(t, err)
		must(t, wt.AddWithOptions(&git.AddOptions{All: true}))
		day = day.Add(24 * time.Hour)
		sig := &object.Signature{Name: "Ann", Email: "ann@example.com", When: day}
		_, err = wt.Commit("edit", &git.CommitOptions{Author: sig, Committer: sig})
		must(t, err)
	}
	commit()
	r, err := NewResident(dir, cache.Open(t.TempDir()))
	must(t, err)
	defer r.Close()
	later := startedAt(time.Now().Add(time.Hour))
	i := -1
	run := func(name string) {
		t.Helper()
		got := sameAsPlain(t, r, dir, name, later)
		if i > 0 && !strings.Contains(got, "[AIMS-G097]") {
			t.Fatalf("%s: no approved document changed since its approval: nothing tested", name)
		}
	}
	run("first run")
	rng := rand.New(rand.NewPCG(3, 5))
	approved := func(files []string) []string {
		var out []string
		for _, f := range files {
			if b, err := os.ReadFile(filepath.Join(dir, f)); err == nil && bytes.Contains(b, []byte("approved_on:")) {
				out = append(out, f)
			}
		}
		return out
	}
	for i = range 16 {
		time.Sleep(5 * time.Millisecond)
		files := listFiles(t, dir)
		var what string
		switch i % 4 {
		case 0:
			a := approved(files)
			p := a[rng.IntN(len(a))]
			rewrite(t, dir, p, func(b []byte) []byte { return bytes.Replace(b, []byte("title: "), []byte("title: Edited "), 1) })
			what = "edit an approved document " + p
		case 1:
			commit()
			what = "commit"
		case 2:
			a := approved(files)
			p := a[rng.IntN(len(a))]
			rewrite(t, dir, p, func(b []byte) []byte {
				return regexp.MustCompile(`approved_on: "?[0-9-]+"?`).ReplaceAll(b, []byte("approved_on: 2026-11-20"))
			})
			what = "approve again " + p
		case 3:
			e := edits[rng.IntN(len(edits))]
			what = e.name + " " + e.do(t, rng, dir, files)
			commit()
		}
		run(fmt.Sprintf("after edit %d, %s", i, what))
	}
}

// When the AIMS folder goes, the events can no longer be trusted: the run
// fails with ErrEventsLost, and the server stops.
func TestResidentLosesAFolderThatGoes(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "aims")
	must(t, os.Rename(residentAIMS(t, 0), dir))
	r, err := NewResident(dir, nil)
	must(t, err)
	defer r.Close()
	w, err := r.Open(dir, nil)
	must(t, err)
	w.Close()
	must(t, os.Rename(dir, filepath.Join(parent, "moved")))
	if _, err := r.Open(dir, nil); !errors.Is(err, ErrEventsLost) {
		t.Fatalf("the AIMS folder moved: %v", err)
	}
}

// A run for another AIMS is refused, not answered with this one's.
func TestResidentRefusesAnotherAIMS(t *testing.T) {
	dir := residentAIMS(t, 0)
	other := residentAIMS(t, 0)
	r, err := NewResident(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Open(other, nil); !errors.Is(err, ErrNotResident) {
		t.Fatalf("want ErrNotResident, got %v", err)
	}
	w, err := r.Open(filepath.Join(dir, "risk"), nil)
	if err != nil {
		t.Fatalf("a folder inside the AIMS: %v", err)
	}
	w.Close()
}
