package synth

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/aims-dev/aims/pkg/gap"
	"github.com/aims-dev/aims/pkg/vcs"
	"github.com/aims-dev/aims/pkg/workspace"
)

func mapFS(files Files) fstest.MapFS {
	m := fstest.MapFS{}
	for p, b := range files {
		m[p] = &fstest.MapFile{Data: b}
	}
	return m
}

// A generated AIMS checks as clean as the example it copies: a benchmark on
// it measures a real run, not an error path.
func TestGeneratedChecksClean(t *testing.T) {
	files, err := Generate(10) // two copies of each Northwind system
	if err != nil {
		t.Fatal(err)
	}
	w, err := workspace.Open(mapFS(files))
	if err != nil {
		t.Fatal(err)
	}
	res := gap.Analyze(w.Model, w.Catalog, w.Diags, gap.Options{Now: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Tiers: w.Tiers})
	for _, d := range append(w.Diags, res.Findings...) {
		t.Errorf("%v", d)
	}
	base, err := Generate(0)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(w.Set.Docs), files.Documents(); got != want {
		t.Errorf("loaded %d documents, Documents says %d", got, want)
	}
	if perSystem := (files.Documents() - base.Documents()) / 10; perSystem < 8 {
		t.Errorf("%d documents per generated system, want a realistic group (at least 8)", perSystem)
	}
	if len(w.Model.Systems) != 15 || len(w.Model.Results) < 4 {
		t.Errorf("%d systems and %d CI results, want 15 systems and the copied bias and drift results", len(w.Model.Systems), len(w.Model.Results))
	}
}

// The git history has the commits asked for, every generated file arrives in
// one of them, and the work tree is clean at HEAD.
func TestHistory(t *testing.T) {
	files, err := Generate(3)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := Write(dir, files); err != nil {
		t.Fatal(err)
	}
	if err := History(dir, files, 20, 7); err != nil {
		t.Fatal(err)
	}
	r, err := vcs.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	p, err := r.Provenance("HEAD", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Files) != len(files) {
		t.Errorf("history holds %d files, generated %d", len(p.Files), len(files))
	}
	commits := map[string]bool{}
	for _, h := range p.Files {
		for _, c := range h.Commits {
			commits[c.Hash] = true
		}
	}
	if len(commits) != 20 {
		t.Errorf("files changed in %d commits, want all 20", len(commits))
	}
	if dirty, err := r.Dirty(""); err != nil || dirty {
		t.Errorf("work tree dirty after History: %v, %v", dirty, err)
	}
	if git, err := exec.LookPath("git"); err == nil {
		out, err := exec.Command(git, "-C", dir, "fsck", "--strict").CombinedOutput()
		if err != nil {
			t.Errorf("git fsck: %v\n%s", err, out)
		}
	}
}

// Write never overwrites: a folder with anything in it is refused.
func TestWriteRefusesNonEmpty(t *testing.T) {
	dir := t.TempDir()
	keep := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(keep, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Write(dir, Files{"notes.txt": []byte("generated")})
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("Write into a non-empty folder: %v, want refusal", err)
	}
	if b, _ := os.ReadFile(keep); string(b) != "mine" {
		t.Errorf("notes.txt now %q", b)
	}
}
