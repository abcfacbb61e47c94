package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func runCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, Streams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut})
	return out.String(), errOut.String(), code
}

// aims catalog --format json holds exactly the 32 clause and 38 control ids
// of the verified reference catalog, with kinds and parents.
func TestCatalogJSONMatchesReference(t *testing.T) {
	out, _, code := runCLI(t, "catalog", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var entries []struct{ ID, Kind, Title, Parent string }
	if err := json.Unmarshal([]byte(out), &entries); err != nil {
		t.Fatal(err)
	}
	var clauses, controls int
	var got []string
	for _, e := range entries {
		switch e.Kind {
		case "clause":
			clauses++
		case "control":
			controls++
		default:
			t.Errorf("%s has kind %q", e.ID, e.Kind)
		}
		if e.Title == "" {
			t.Errorf("%s has no title", e.ID)
		}
		got = append(got, e.ID+" "+e.Kind+" "+e.Parent)
	}
	if clauses != 32 || controls != 38 {
		t.Errorf("%d clauses and %d controls, want 32 and 38", clauses, controls)
	}
	ref, err := os.ReadFile("../../../shared/reference/iso42001-catalog.tsv")
	if err != nil {
		t.Skipf("reference catalog not available: %v", err)
	}
	var want []string
	for i, line := range strings.Split(strings.TrimSpace(string(ref)), "\n") {
		if i == 0 {
			continue
		}
		f := strings.Split(line, "\t")
		kind := map[string]string{"clause": "clause", "annex_a_control": "control"}[f[1]]
		want = append(want, f[0]+" "+kind+" "+f[3])
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("catalog differs from the reference (-want +got):\n%s", diff)
	}
}

func TestCommandFlagsBecomeOptions(t *testing.T) {
	s := Streams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}
	g := &GlobalOptions{}
	var got *CheckOptions
	cmd := NewCmdCheck(g, s, func(o *CheckOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--format", "sarif", "--fail-on", "warning", "--as-of", "2026-12-01", "--rev", "v1", "a.yaml", "b.yaml"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Format != "sarif" || got.FailOn != "warning" || got.AsOf != "2026-12-01" || got.Rev != "v1" || !cmp.Equal(got.Files, []string{"a.yaml", "b.yaml"}) {
		t.Errorf("options = %+v (rev %q)", got, got.Rev)
	}
}
