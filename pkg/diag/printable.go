package diag

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Printable returns s as it may be shown in text output (terminal, CI log,
// Markdown, GitHub annotations): every character that a terminal or a log
// viewer would act on rather than show is escaped Go-style. That is C0
// controls except tab (so newlines too: a field stays on its line), DEL, C1
// controls, the bidirectional overrides and isolates that reorder what a
// reviewer sees, the Unicode line and paragraph separators, and bytes that
// are not UTF-8. A leading "::" or "##[" (after spaces) is escaped too, so
// user data at the start of a line can never be read by GitHub Actions as a
// workflow command. It is the one sanitiser every text writer uses.
func Printable(s string) string { return printable(s, false) }

// PrintableLines is Printable for formats that carry a newline as data
// rather than as the end of an output line (a GitHub annotation encodes it
// as %0A): newlines are kept, everything else is escaped.
func PrintableLines(s string) string { return printable(s, true) }

func printable(s string, lines bool) string {
	if clean(s, lines) {
		return s
	}
	var b strings.Builder
	lineStart := true
	for i := 0; i < len(s); {
		if lineStart {
			// Spaces, then a workflow command's opening: escape its first
			// character so no line can begin one.
			j := i
			for j < len(s) && s[j] == ' ' {
				j++
			}
			b.WriteString(s[i:j])
			if strings.HasPrefix(s[j:], "::") || strings.HasPrefix(s[j:], "##[") {
				fmt.Fprintf(&b, `\x%02x`, s[j])
				j++
			}
			i, lineStart = j, false
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n' && lines:
			b.WriteByte('\n')
			lineStart = true
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case control(r) && r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		case control(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func clean(s string, lines bool) bool {
	for _, line := range strings.Split(s, "\n") {
		if l := strings.TrimLeft(line, " "); strings.HasPrefix(l, "::") || strings.HasPrefix(l, "##[") {
			return false
		}
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' && (c != '\n' || !lines) || c >= 0x7f {
			// Slow path for any control byte or non-ASCII text.
			for _, r := range s {
				if r == utf8.RuneError || control(r) && (r != '\n' || !lines) {
					return false
				}
			}
			return true
		}
	}
	return true
}

// control reports the characters Printable escapes.
func control(r rune) bool {
	switch {
	case r == '\t':
		return false
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true // bidirectional marks, embeddings, overrides, isolates
	case r == 0x2028, r == 0x2029:
		return true
	}
	return false
}
