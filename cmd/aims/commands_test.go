package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/cobra"

	"github.com/aims-dev/aims/pkg/catalog"
)

func runCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, Streams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut})
	return out.String(), errOut.String(), code
}

// aims catalog --format json holds exactly the 32 clause and 38 control ids
// of the catalog, with kinds and parents; pkg/catalog's TestMatchesReference
// proves those equal the verified reference catalog in its testdata.
func TestCatalogJSONMatchesCatalog(t *testing.T) {
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
	var want []string
	for _, e := range catalog.ISO42001().Requirements() {
		want = append(want, e.ID+" "+string(e.Kind)+" "+e.Parent)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("aims catalog differs from the catalog (-want +got):\n%s", diff)
	}
}

// Each command turns its flags and arguments into its Options; the run
// function is replaced so nothing is loaded.
func TestCommandFlagsBecomeOptions(t *testing.T) {
	s := Streams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}
	runFlagCases(t, []flagCase{
		{"check", func(g *GlobalOptions, got *any) *cobra.Command {
			return NewCmdCheck(g, s, func(o *CheckOptions) error { *got = o; return nil })
		}, []string{"--format", "sarif", "--fail-on", "warning", "--as-of", "2026-12-01", "--rev", "v1", "a.yaml", "b.yaml"}, func(t *testing.T, got any) {
			o := got.(*CheckOptions)
			if o.Format != "sarif" || o.FailOn != "warning" || o.AsOf != "2026-12-01" || o.Rev != "v1" || !cmp.Equal(o.Files, []string{"a.yaml", "b.yaml"}) {
				t.Errorf("options = %+v (rev %q)", o, o.Rev)
			}
		}},
		{"validate", func(g *GlobalOptions, got *any) *cobra.Command {
			return NewCmdValidate(g, s, func(o *ValidateOptions) error { *got = o; return nil })
		}, []string{"--format", "json", "--rev", "HEAD~2"}, func(t *testing.T, got any) {
			if o := got.(*ValidateOptions); o.Format != "json" || o.Rev != "HEAD~2" {
				t.Errorf("options = %+v", o)
			}
		}},
		{"gaps", func(g *GlobalOptions, got *any) *cobra.Command {
			return NewCmdGaps(g, s, func(o *GapsOptions) error { *got = o; return nil })
		}, []string{"--format", "json", "--as-of", "2027-01-01"}, func(t *testing.T, got any) {
			if o := got.(*GapsOptions); o.Format != "json" || o.AsOf != "2027-01-01" {
				t.Errorf("options = %+v", o)
			}
		}},
		{"report", func(g *GlobalOptions, got *any) *cobra.Command {
			return NewCmdReport(g, s, func(o *ReportOptions) error { *got = o; return nil })
		}, []string{"-o", "r.html", "--template-dir", "tpl", "--rev", "v1"}, func(t *testing.T, got any) {
			if o := got.(*ReportOptions); o.Output != "r.html" || o.TemplateDir != "tpl" || o.Rev != "v1" || o.Format != "" {
				t.Errorf("options = %+v", o)
			}
		}},
		{"diff", func(g *GlobalOptions, got *any) *cobra.Command {
			return NewCmdDiff(g, s, func(o *DiffOptions) error { *got = o; return nil })
		}, []string{"v1", "--fail-on-regression", "--format", "md"}, func(t *testing.T, got any) {
			if o := got.(*DiffOptions); o.From != "v1" || o.To != "" || !o.FailOnRegression || o.Format != "md" {
				t.Errorf("options = %+v", o)
			}
		}},
		{"init", func(g *GlobalOptions, got *any) *cobra.Command {
			return NewCmdInit(g, s, func(o *InitOptions) error { *got = o; return nil })
		}, []string{"new-aims", "--example"}, func(t *testing.T, got any) {
			if o := got.(*InitOptions); o.Dir != "new-aims" || !o.Example {
				t.Errorf("options = %+v", o)
			}
		}},
		{"schema", func(g *GlobalOptions, got *any) *cobra.Command {
			return NewCmdSchema(s, func(o *SchemaOptions) error { *got = o; return nil })
		}, []string{"Risk", "--out", "dir"}, func(t *testing.T, got any) {
			if o := got.(*SchemaOptions); o.Kind != "Risk" || o.OutDir != "dir" {
				t.Errorf("options = %+v", o)
			}
		}},
	})
}

// flagCase is one command line and what its Options must hold; build wires
// a run function that only records the Options, so nothing is loaded.
type flagCase struct {
	name  string
	build func(g *GlobalOptions, got *any) *cobra.Command
	args  []string
	want  func(t *testing.T, got any)
}

func runFlagCases(t *testing.T, cases []flagCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			var got any
			cmd := tt.build(&GlobalOptions{}, &got)
			cmd.SetArgs(tt.args)
			if err := cmd.Execute(); err != nil {
				t.Fatal(err)
			}
			if got == nil {
				t.Fatal("run function not called")
			}
			tt.want(t, got)
		})
	}
}

// docs/rules.md is generated by `aims rules --format md` (make docs) and
// must not drift from the rules aims applies.
func TestRulesDocIsCurrent(t *testing.T) {
	out, _, code := runCLI(t, "rules", "--format", "md")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	doc, err := os.ReadFile("../../docs/rules.md")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(doc), out); diff != "" {
		t.Errorf("docs/rules.md is out of date; run make docs (-file +generated):\n%s", diff)
	}
}
