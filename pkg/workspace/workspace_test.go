package workspace

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aims-dev/aims/pkg/diag"
)

// With files named (pre-commit), check shows findings in those files and
// findings about the AIMS as a whole, nothing else.
func TestOnlyFiles(t *testing.T) {
	w := &Workspace{Root: "/repo/aims"}
	l := diag.List{
		{Pos: diag.Pos{File: "risks/r1.yaml", Line: 3}, Code: "in"},
		{Pos: diag.Pos{File: "risks/r2.yaml", Line: 3}, Code: "other file"},
		{Code: "AIMS-wide"},
		{Pos: diag.Pos{File: "policy.md"}, Code: "in, no line"},
	}
	var got []string
	for _, d := range w.OnlyFiles(l, []string{"/repo/aims/risks/r1.yaml", "/repo/aims/policy.md", "/elsewhere/x.yaml"}) {
		got = append(got, d.Code)
	}
	if diff := cmp.Diff([]string{"in", "AIMS-wide", "in, no line"}, got); diff != "" {
		t.Errorf("kept (-want +got):\n%s", diff)
	}
}
