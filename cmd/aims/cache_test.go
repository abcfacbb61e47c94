package main

import (
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/aims-dev/aims/pkg/cache"
)

// With the cache, every command prints byte for byte what it prints
// without: the Northwind example, edited at random one file at a time
// (lines deleted, duplicated, swapped, characters inserted, digits changed,
// files truncated or restored), checked after each edit with a warm cache
// and with --no-cache.
func TestCacheSameOutputUnderRandomEdits(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nw")
	copyTree(t, "../../examples/northwind", dir)
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
	failed := 0 // rounds whose check found errors: the edits must matter
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
		for _, c := range commands {
			args := append([]string{"-C", dir}, c...)
			wantOut, wantErr, wantCode := runCLI(t, append([]string{"--no-cache"}, args...)...)
			if c[0] == "check" && len(c) == 3 && wantCode != 0 {
				failed++
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
