package main

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/cobra"
)

// new, import modelcard and export cyclonedx turn flags and arguments into
// their Options; the run function is replaced so nothing is loaded.
func TestAuthoringFlagsBecomeOptions(t *testing.T) {
	s := Streams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}
	runFlagCases(t, []flagCase{
		{"new", func(g *GlobalOptions, got *any) *cobra.Command {
			return NewCmdNew(g, s, func(o *NewOptions) error { *got = o; return nil })
		}, []string{"risk", "risk-chatbot", "--title", "Chatbot errs", "--dry-run", "--as-of", "2026-12-01"}, func(t *testing.T, got any) {
			o := got.(*NewOptions)
			if o.Kind != "risk" || o.ID != "risk-chatbot" || o.Title != "Chatbot errs" || !o.DryRun || o.AsOf != "2026-12-01" {
				t.Errorf("options = %+v", o)
			}
		}},
		{"import modelcard", func(g *GlobalOptions, got *any) *cobra.Command {
			return NewCmdImport(g, s, func(o *ImportOptions) error { *got = o; return nil })
		}, []string{"modelcard", "models/README.md", "--system", "churn", "--dry-run", "--as-of", "2026-12-01"}, func(t *testing.T, got any) {
			o := got.(*ImportOptions)
			if o.Card != "models/README.md" || o.System != "churn" || !o.DryRun || o.AsOf != "2026-12-01" {
				t.Errorf("options = %+v", o)
			}
		}},
		{"export cyclonedx", func(g *GlobalOptions, got *any) *cobra.Command {
			return NewCmdExport(g, s, func(o *ExportOptions) error { *got = o; return nil })
		}, []string{"cyclonedx", "credit-scoring", "fraud-signals", "--rev", "v1", "--as-of", "2026-12-01"}, func(t *testing.T, got any) {
			o := got.(*ExportOptions)
			if !cmp.Equal(o.Systems, []string{"credit-scoring", "fraud-signals"}) || o.Rev != "v1" || o.AsOf != "2026-12-01" {
				t.Errorf("options = %+v (rev %q)", o, o.Rev)
			}
		}},
	})
}

// A new command needs its arguments: usage errors exit 2 before any work.
func TestAuthoringUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"new"},
		{"new", "risk", "a", "b"},
		{"import", "modelcard"},
		{"new", "risk", "--as-of", "2026-13-01"},
	} {
		if _, _, code := runCLI(t, args...); code != exitError {
			t.Errorf("aims %v: exit %d, want %d", args, code, exitError)
		}
	}
}
