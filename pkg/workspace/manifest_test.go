package workspace

import (
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/aims-dev/aims/pkg/load"
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

// A revision is read with the working tree's limits: an oversized document
// is the same diagnostic in both, and an oversized evidence file, whose
// existence is all that is checked, is fine in both (issue 12, defect 3).
func TestRevisionLimitsEqualWorkingTree(t *testing.T) {
	f := newRepo(t)
	big := strings.Repeat("# padding\n", load.MaxFileBytes/10+1)
	f.write("aims/aims.yaml", "apiVersion: aims/v1\nkind: Manifest\norganization: {name: Org}\n")
	f.write("aims/people.yaml", "apiVersion: aims/v1\nkind: Person\nid: ann\nname: Ann\n"+big)
	f.write("aims/evidence/big.log", big)
	f.write("aims/ev.yaml", "apiVersion: aims/v1\nkind: Evidence\nid: ev\ntitle: Log\npath: evidence/big.log\nsatisfies: [\"7.4\"]\n")
	f.commit("2026-01-20", "big files")
	want := []string{"people.yaml: error: file is larger than 8 MiB [AIMS-L004]"}
	for _, rev := range []string{"", "HEAD"} {
		w, err := OpenAt(filepath.Join(f.dir, "aims"), rev)
		if err != nil {
			t.Fatalf("rev %q: %v", rev, err)
		}
		var got []string
		for _, d := range w.Diags {
			got = append(got, d.String())
		}
		w.Close()
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("rev %q: diagnostics %q, want %q", rev, got, want)
		}
	}
}
