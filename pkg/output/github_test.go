package output

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/aims-dev/aims/pkg/diag"
)

// GitHub keeps 10 annotations of a level per step: the rest are printed as
// log lines, a notice says how many, and the job summary lists them all,
// with paths from the repository root and user text escaped.
func TestGitHubBeyondTheAnnotationLimit(t *testing.T) {
	var l diag.List
	for i := 1; i <= 12; i++ {
		l = append(l, diag.Diagnostic{Pos: diag.Pos{File: "risk.yaml", Line: i, Col: 1}, Severity: diag.Error, Code: "AIMS-S002", Msg: fmt.Sprintf("unknown field \"f%d\" | *x*", i)})
	}
	l = append(l, diag.Diagnostic{Pos: diag.Pos{File: "soa.yaml", Line: 3, Col: 1}, Severity: diag.Warning, Code: "AIMS-G015", Msg: "half done"})
	var out, summary bytes.Buffer
	w, err := New("github", &out, Options{Prefix: ".", RepoPrefix: "aims", Summary: &summary})
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteAll(w, l, 4); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if n := strings.Count(out.String(), "::error "); n != 10 {
		t.Errorf("%d error annotations, want 10:\n%s", n, out.String())
	}
	if !strings.Contains(out.String(), "::warning file=aims/soa.yaml,line=3,col=1,title=AIMS-G015::half done") {
		t.Errorf("the warning lost its annotation:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "\naims/risk.yaml:12:1: error: unknown field \"f12\"") {
		t.Errorf("the 12th error is not in the log:\n%s", out.String())
	}
	if want := "::notice title=aims::2 more findings not annotated: GitHub shows 10 annotations of each level per step; all are listed above and in the job summary"; lines[len(lines)-2] != want {
		t.Errorf("notice = %q, want %q", lines[len(lines)-2], want)
	}
	s := summary.String()
	if n := strings.Count(s, "| error | [AIMS-S002]"); n != 12 {
		t.Errorf("summary lists %d of 12 errors:\n%s", n, s)
	}
	if !strings.Contains(s, `| aims/risk.yaml:12:1 | unknown field "f12" \| \*x\* |`) {
		t.Errorf("summary row not escaped or not from the repository root:\n%s", s)
	}
}
