package diag

import "testing"

func TestPrintable(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Credit scoring: bias", "Credit scoring: bias"},
		{"tab\tkept", "tab\tkept"},
		{"Crédit – naïve ✓", "Crédit – naïve ✓"},
		{"red \x1b[31mtitle\x1b[0m", `red \x1b[31mtitle\x1b[0m`},
		{"bell\a", `bell\x07`},
		{"two\nlines\r\n", `two\nlines\r\n`},
		{"title\n::error file=x::pwned", `title\n::error file=x::pwned`},
		{"::error file=x::pwned", `\x3a:error file=x::pwned`},
		{"  ::warning::x", `  \x3a:warning::x`},
		{"##[error]old syntax", `\x23#[error]old syntax`},
		{"c1 \u0085 next line", `c1 \u0085 next line`},
		{"del\x7f", `del\x7f`},
		{"evil\u202etxt.exe", `evil\u202etxt.exe`},
		{"iso\u2066late\u2069", `iso\u2066late\u2069`},
		{"line\u2028sep", `line\u2028sep`},
		{"bad \xff byte", `bad \xff byte`},
	}
	for _, tt := range tests {
		if got := Printable(tt.in); got != tt.want {
			t.Errorf("Printable(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPrintableLinesKeepsNewlinesOnly(t *testing.T) {
	if got, want := PrintableLines("a\nb\x1b\r"), "a\nb\\x1b\\r"; got != want {
		t.Errorf("PrintableLines = %q, want %q", got, want)
	}
	if got := PrintableLines("two\nlines"); got != "two\nlines" {
		t.Errorf("PrintableLines changed clean text: %q", got)
	}
}

// Issue 12, defect 4: a file name or message cannot move the cursor, ring a
// bell or start a GitHub workflow command in compiler-style output.
func TestDiagnosticStringIsPrintable(t *testing.T) {
	d := Diagnostic{Pos: Pos{File: "::error file=a::x.yaml", Line: 1, Col: 2}, Severity: Error,
		Msg: "title \x1b]0;owned\a\n::error::injected", Code: "AIMS-G001"}
	want := `\x3a:error file=a::x.yaml:1:2: error: title \x1b]0;owned\x07\n::error::injected [AIMS-G001]`
	if got := d.String(); got != want {
		t.Errorf("String() =\n%s\nwant\n%s", got, want)
	}
}
