package workspace

import (
	"strings"
	"testing"
	"testing/fstest"
)

// A manifest that does not parse is reported once, at its syntax error; not
// also as a position-less "no Manifest document" (issue 12, defect 9).
func TestBrokenManifestIsReportedOnce(t *testing.T) {
	w, err := Open(fstest.MapFS{"aims.yaml": {Data: []byte("apiVersion: aims/v1\nkind: Manifest\norganization: {name: [x}\n")}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range w.Diags {
		got = append(got, d.String())
	}
	if len(got) != 1 || !strings.HasPrefix(got[0], "aims.yaml:3:") || !strings.Contains(got[0], "YAML syntax") {
		t.Errorf("diagnostics = %q, want only the syntax error in aims.yaml", got)
	}
}
