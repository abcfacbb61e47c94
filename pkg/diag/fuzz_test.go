package diag

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzPrintable checks the sanitiser every text writer relies on: its output
// is valid UTF-8 without a control or bidi character and does not start a
// workflow command, and text that needs no escaping is left as it is.
func FuzzPrintable(f *testing.F) {
	for _, seed := range []string{"plain title", "\x1b[31mred\a", "a\n::error::x", "::warning::x", "  ##[error]x", "\u202eevil", "\xff\xfe", "tab\tok", "\u0085"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, fn := range []func(string) string{Printable, PrintableLines} {
			out := fn(s)
			if !utf8.ValidString(out) {
				t.Fatalf("invalid UTF-8 out of %q: %q", s, out)
			}
			for _, r := range out {
				if control(r) && r != '\n' {
					t.Fatalf("control character %U left in %q (from %q)", r, out, s)
				}
			}
			for _, line := range strings.Split(out, "\n") {
				if l := strings.TrimLeft(line, " "); strings.HasPrefix(l, "::") || strings.HasPrefix(l, "##[") {
					t.Fatalf("a line of %q starts a workflow command", out)
				}
			}
		}
		if strings.Contains(Printable(s), "\n") {
			t.Fatalf("Printable kept a newline: %q", s)
		}
		if clean(s, false) && Printable(s) != s {
			t.Fatalf("clean text changed: %q -> %q", s, Printable(s))
		}
	})
}
