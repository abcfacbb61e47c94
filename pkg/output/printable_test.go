package output

import (
	"bytes"
	"strings"
	"testing"

	"github.com/aims-dev/aims/pkg/diag"
)

// Issue 12, defect 4: file names and messages reach the text and github
// formats escaped; no line but aims's own starts a workflow command.
func TestHostileStringsAreEscaped(t *testing.T) {
	l := diag.List{{Pos: diag.Pos{File: "a\x1b[2J.yaml", Line: 1, Col: 1}, Severity: diag.Error, Code: "AIMS-G001",
		Msg: "title \x1b]0;x\a\n::error file=y::pwned"}}
	for _, format := range []string{"text", "github"} {
		var b bytes.Buffer
		w, err := New(format, &b, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := WriteAll(w, l, 1); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if strings.ContainsAny(out, "\x1b\a") {
			t.Errorf("%s: raw control characters:\n%q", format, out)
		}
		if !strings.Contains(out, `a\x1b[2J.yaml`) {
			t.Errorf("%s: file name not shown escaped:\n%s", format, out)
		}
		for i, line := range strings.Split(strings.TrimSpace(out), "\n") {
			if format == "github" && i == 0 {
				continue // aims's own annotation
			}
			if strings.HasPrefix(strings.TrimSpace(line), "::") {
				t.Errorf("%s: user data starts a workflow command: %q", format, line)
			}
		}
	}
}
