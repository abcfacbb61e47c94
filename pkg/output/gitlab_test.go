package output

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aims-dev/aims/pkg/diag"
)

// The Code Quality report validates against the rules GitLab documents
// (testdata/gitlab-codequality.schema.json), with paths from the repository
// root and a fingerprint unique to each finding.
func TestGitLabCodeQuality(t *testing.T) {
	out := render(t, "gitlab", Options{Prefix: ".", RepoPrefix: "aims"})
	validateJSON(t, "testdata/gitlab-codequality.schema.json", out)
	var issues []struct {
		CheckName   string `json:"check_name"`
		Severity    string
		Fingerprint string
		Location    struct {
			Path  string
			Lines struct{ Begin int }
		}
	}
	if err := json.Unmarshal([]byte(out), &issues); err != nil {
		t.Fatal(err)
	}
	var got []string
	seen := map[string]bool{}
	for _, i := range issues {
		got = append(got, i.CheckName+" "+i.Severity+" "+i.Location.Path)
		if seen[i.Fingerprint] {
			t.Errorf("fingerprint %s used twice", i.Fingerprint)
		}
		seen[i.Fingerprint] = true
	}
	want := []string{
		"AIMS-G060 major aims/aims.yaml",
		"AIMS-G030 major aims/risks/r.yaml",
		"AIMS-R001 major aims/people.yaml",
		"AIMS-G015 minor aims/soa.yaml",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if issues[1].Location.Lines.Begin != 12 {
		t.Errorf("line %d, want 12", issues[1].Location.Lines.Begin)
	}
}

// Two findings GitLab would take for one (same rule, same place, same
// message) still get fingerprints of their own, or one would vanish.
func TestGitLabFingerprintsAreUnique(t *testing.T) {
	d := diag.Diagnostic{Pos: diag.Pos{File: "r.yaml", Line: 3, Col: 1}, Severity: diag.Error, Code: "AIMS-R002", Msg: "x"}
	var b bytes.Buffer
	w, _ := New("gitlab", &b, Options{})
	if err := WriteAll(w, diag.List{d, d}, 1); err != nil {
		t.Fatal(err)
	}
	var issues []struct{ Fingerprint string }
	if err := json.Unmarshal(b.Bytes(), &issues); err != nil {
		t.Fatal(err)
	}
	if len(issues) != 2 || issues[0].Fingerprint == issues[1].Fingerprint {
		t.Errorf("fingerprints %+v", issues)
	}
}
