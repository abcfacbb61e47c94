package schema

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/aims-dev/aims/schemas"
)

// TestClassPatternMatchesRegexp holds the table matcher to package regexp on
// every pattern of the embedded schemas it takes, and on edge cases.
func TestClassPatternMatchesRegexp(t *testing.T) {
	patterns := map[string]bool{
		"^[a-z][a-z0-9_-]*$": true, "^[A-Za-z0-9][A-Za-z0-9._-]*$": true, "^[a-c.][-]*$": true,
		"^[a-z]+$": false, "^[^a-z][a-z]*$": false, "[a-z][a-z]*$": false, "^[a-z][a-z]*": false,
		"^[a-z][a-z]*$|^x$": false, `^[\w][a-z]*$`: false, "^[][a-z]*$": false, "^[z-a][a-z]*$": false,
	}
	files, err := fs.Glob(schemas.FS, "*.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	taken := 0
	for _, f := range files {
		b, _ := fs.ReadFile(schemas.FS, f)
		for _, m := range regexp.MustCompile(`"pattern": "([^"]*)"`).FindAllStringSubmatch(string(b), -1) {
			p := strings.ReplaceAll(m[1], `\\`, `\`)
			if _, ok := parseClassPattern(p); ok {
				taken++
			}
			if _, seen := patterns[p]; !seen {
				patterns[p] = false
			}
		}
	}
	// The id pattern is what every document meets; if the schemas change
	// it so that the matcher no longer takes it, say so.
	if _, ok := parseClassPattern("^[A-Za-z0-9][A-Za-z0-9._-]*$"); !ok || taken < 3 {
		t.Fatalf("the table matcher takes %d patterns of the schemas, want the id patterns", taken)
	}
	inputs := []string{"", "a", "A", "0", "-", ".", "_", "a-", "risk-credit-01", "Risk.v2_x", "-a", ".a",
		"a b", "a\n", "\na", "a$", "é", "aé", "a\xff", "\xffa", "a\x00", "ab\u00e9c", "abc\u2028", "a/b", "A.6.2.4",
		"ABC", "abc", "b-", "c", "d", "a--", "a.", "Z9", "z~", "a\t"}
	for p, want := range patterns {
		cp, ok := parseClassPattern(p)
		if ok != want {
			t.Errorf("parseClassPattern(%q) took it: %v, want %v", p, ok, want)
		}
		if !ok {
			continue
		}
		re := regexp.MustCompile(p)
		if cp.String() != p {
			t.Errorf("String() = %q, want %q", cp.String(), p)
		}
		for _, s := range inputs {
			if got, want := cp.MatchString(s), re.MatchString(s); got != want {
				t.Errorf("%q matching %q: %v, regexp says %v", p, s, got, want)
			}
		}
		for c := range 256 {
			for _, s := range []string{string(rune(c)), string([]byte{byte(c)}), "a" + string([]byte{byte(c)}), "a" + string(rune(c)) + "b"} {
				if got, want := cp.MatchString(s), re.MatchString(s); got != want {
					t.Errorf("%q matching %q: %v, regexp says %v", p, s, got, want)
				}
			}
		}
	}
}

func FuzzClassPattern(f *testing.F) {
	for _, s := range []string{"risk-01", "a\xff", "", "é"} {
		f.Add(s)
	}
	const p = "^[A-Za-z0-9][A-Za-z0-9._-]*$"
	cp, ok := parseClassPattern(p)
	if !ok {
		f.Fatal("id pattern not taken")
	}
	re := regexp.MustCompile(p)
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := cp.MatchString(s), re.MatchString(s); got != want {
			t.Errorf("%q: %v, regexp says %v", s, got, want)
		}
	})
}
