package main

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/aims-dev/aims/pkg/cache"
)

// With the cache, every command prints byte for byte what it prints
// without: the Northwind example, edited at random one file at a time
// (lines deleted, duplicated, swapped, characters inserted, digits changed,
// files truncated or restored), checked after each edit with a warm cache
// and with --no-cache; outside git, and inside a repository where every
// fourth round commits the edits so far (the approval checks from git,
// G097 and G098, are cached too).
func TestCacheSameOutputUnderRandomEdits(t *testing.T) {
	t.Run("outside git", func(t *testing.T) { cacheRandomEdits(t, false) })
	t.Run("in git", func(t *testing.T) { cacheRandomEdits(t, true) })
}

func cacheRandomEdits(t *testing.T, inGit bool) {
	dir := filepath.Join(t.TempDir(), "nw")
	copyTree(t, "../../examples/northwind", dir)
	var commit func(msg string)
	if inGit {
		// The example turns the approval checks off (its history is the
		// tool's); here they run.
		m := filepath.Join(dir, "aims.yaml")
		b, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(m, []byte(strings.ReplaceAll(string(b), `severity: "off"`, `severity: "error"`)), 0o644); err != nil {
			t.Fatal(err)
		}
		repo, err := git.PlainInit(dir, false)
		if err != nil {
			t.Fatal(err)
		}
		wt, err := repo.Worktree()
		if err != nil {
			t.Fatal(err)
		}
		when := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
		commit = func(msg string) {
			if err := wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
				t.Fatal(err)
			}
			when = when.Add(24 * time.Hour)
			sig := &object.Signature{Name: "Amira Haddad", Email: "amira@example.com", When: when}
			if _, err := wt.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig, AllowEmptyCommits: true}); err != nil {
				t.Fatal(err)
			}
		}
		commit("Northwind AIMS")
	}
	cacheDir := t.TempDir()
	t.Setenv(cache.EnvDir, cacheDir)

	var docs []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.Contains(p, "/evidence/") &&
			slices.Contains([]string{".yaml", ".md"}, filepath.Ext(p)) {
			docs = append(docs, p)
		}
		return nil
	})
	original := map[string][]byte{}
	for _, p := range docs {
		original[p], _ = os.ReadFile(p)
	}
	rng := rand.New(rand.NewPCG(11, 4))
	edits := map[string]func(lines []string, text []byte) []byte{
		"delete line": func(lines []string, _ []byte) []byte {
			i := rng.IntN(len(lines))
			return []byte(strings.Join(slices.Delete(lines, i, i+1), "\n"))
		},
		"duplicate line": func(lines []string, _ []byte) []byte {
			i := rng.IntN(len(lines))
			return []byte(strings.Join(slices.Insert(lines, i, lines[i]), "\n"))
		},
		"swap lines": func(lines []string, _ []byte) []byte {
			i, j := rng.IntN(len(lines)), rng.IntN(len(lines))
			lines[i], lines[j] = lines[j], lines[i]
			return []byte(strings.Join(lines, "\n"))
		},
		"insert character": func(_ []string, text []byte) []byte {
			chars := "x:#-[{&*\"' \t\n0"
			return slices.Insert(text, rng.IntN(len(text)+1), chars[rng.IntN(len(chars))])
		},
		"change digit": func(_ []string, text []byte) []byte {
			for range 50 {
				if i := rng.IntN(len(text)); text[i] >= '0' && text[i] <= '9' {
					text[i] = byte('0' + rng.IntN(10))
					break
				}
			}
			return text
		},
		"truncate": func(_ []string, text []byte) []byte { return text[:rng.IntN(len(text)+1)] },
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for k := range edits {
			if !yield(k) {
				return
			}
		}
	})
	commands := [][]string{
		{"check", "--as-of", "2026-12-01", "--format", "json"},
		{"check", "--as-of", "2026-12-01"},
		{"gaps", "--as-of", "2026-12-01", "--format", "json"},
	}
	failed := 0  // rounds whose check found errors: the edits must matter
	changed := 0 // in git, rounds that found an approved document changed
	for round := range 12 {
		p := docs[rng.IntN(len(docs))]
		edit := "restore"
		if round%4 != 3 {
			edit = names[rng.IntN(len(names))]
			text, _ := os.ReadFile(p)
			text = edits[edit](strings.Split(string(text), "\n"), text)
			if err := os.WriteFile(p, text, 0o644); err != nil {
				t.Fatal(err)
			}
		} else if err := os.WriteFile(p, original[p], 0o644); err != nil {
			t.Fatal(err)
		}
		if commit != nil && round%4 == 1 {
			commit(fmt.Sprintf("round %d", round))
		}
		for _, c := range commands {
			args := append([]string{"-C", dir}, c...)
			wantOut, wantErr, wantCode := runCLI(t, append([]string{"--no-cache"}, args...)...)
			if c[0] == "check" && len(c) == 3 && wantCode != 0 {
				failed++
			}
			if c[0] == "check" && len(c) == 3 && strings.Contains(wantOut, "AIMS-G097") {
				changed++
			}
			for _, run := range []string{"first", "second"} {
				out, errOut, code := runCLI(t, args...)
				if out != wantOut || errOut != wantErr || code != wantCode {
					t.Fatalf("round %d, %s of %s, aims %s (%s run with the cache): exit %d, want %d; output differs from --no-cache:\n%s",
						round, edit, p, strings.Join(c, " "), run, code, wantCode, firstDiff(wantOut+wantErr, out+errOut))
				}
			}
		}
	}
	if failed < 3 {
		t.Errorf("only %d of 12 edited versions fail check: the edits test too little", failed)
	}
	if inGit && changed < 3 {
		t.Errorf("only %d of 12 rounds in git found an approved document changed (AIMS-G097): the approval checks are tested too little", changed)
	}
	// An index line is 64 bytes: one per file parsed and per document
	// validated.
	if st, err := os.Stat(filepath.Join(cacheDir, "index")); err != nil || st.Size()/64 < int64(len(docs)) {
		t.Errorf("the cache index holds fewer lines than the %d documents (%v): the cache was not used", len(docs), err)
	}
}

// firstDiff shows where two outputs part.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range max(len(w), len(g)) {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\n- " + a + "\n+ " + b
		}
	}
	return ""
}
