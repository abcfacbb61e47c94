package report

import (
	"strings"
	"testing"
)

// FuzzMarkdownText renders hostile strings as the report and diff do in
// Markdown: no raw control character, no HTML tag and no line break may
// survive, whatever a title or reason holds.
func FuzzMarkdownText(f *testing.F) {
	for _, seed := range []string{"Risk <script>alert(1)</script>", "\x1b[31mred\a", "a\n::error::x", "[link](javascript:x)", "&lt;b&gt;", "| cell |", "\u202eevil", "**bold** _it_ `code`"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := MarkdownText(s)
		if strings.ContainsAny(out, "<>\n\r\x1b\a") {
			t.Errorf("MarkdownText(%q) = %q", s, out)
		}
		for _, r := range out {
			if r < 0x20 && r != '\t' || r >= 0x7f && r <= 0x9f || r >= 0x202a && r <= 0x202e {
				t.Fatalf("MarkdownText(%q) kept %U", s, r)
			}
		}
	})
}
