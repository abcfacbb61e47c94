package diff_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/aims-dev/aims/pkg/diff"
)

// Issue 12, defect 4: a risk title holding ESC/BEL bytes or a newline
// followed by a GitHub workflow command is shown escaped in text and
// Markdown diffs; no output line starts with "::".
func TestDiffEscapesControlCharacters(t *testing.T) {
	from := side(t, "v1", map[string]string{"people.yaml": people})
	hostile := strings.Replace(risk("r1", 2, 2), "title: Risk r1", `title: "Risk \e[31mred\a\n::error file=x::pwned"`, 1)
	to := side(t, "v2", map[string]string{"people.yaml": people, "risk.yaml": hostile})
	for _, format := range []string{"text", "md"} {
		var b bytes.Buffer
		w, err := diff.New(format)
		if err != nil {
			t.Fatal(err)
		}
		if err := w(&b, diff.Compare(from, to)); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if strings.ContainsAny(out, "\x1b\a") {
			t.Errorf("%s: raw control characters in the output:\n%q", format, out)
		}
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "::") {
				t.Errorf("%s: a line starts a workflow command: %q", format, line)
			}
		}
		if !strings.Contains(out, `x1b`) || !strings.Contains(out, `red\`) || !strings.Contains(out, `x07`) {
			t.Errorf("%s: the title is not shown escaped:\n%s", format, out)
		}
	}
}
