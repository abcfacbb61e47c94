package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aims-dev/aims/pkg/catalog"
	"github.com/aims-dev/aims/pkg/diff"
	"github.com/aims-dev/aims/pkg/output"
	"github.com/aims-dev/aims/pkg/report"
)

// --format completes to, and its help lists, exactly the formats of the
// command's registry, so a new format shows up without touching cmd.
func TestFormatFlagListsRegistry(t *testing.T) {
	tests := []struct {
		cmd     string
		formats []string
	}{
		{"check", output.Formats()},
		{"validate", output.Formats()},
		{"gaps", output.GapsFormats()},
		{"rules", output.RulesFormats()},
		{"diff", diff.Formats()},
		{"catalog", catalog.Formats()},
		{"report", report.Formats()},
	}
	for _, tt := range tests {
		t.Run(tt.cmd, func(t *testing.T) {
			out, _, code := runCLI(t, "__complete", tt.cmd, "--format", "")
			if code != 0 {
				t.Fatalf("exit %d", code)
			}
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if diff := cmp.Diff(tt.formats, lines[:len(lines)-1]); diff != "" {
				t.Errorf("completions (-registry +completed):\n%s", diff)
			}
			help, _, _ := runCLI(t, tt.cmd, "--help")
			var line string
			for _, l := range strings.Split(help, "\n") {
				if strings.Contains(l, "--format") {
					line = l
				}
			}
			for _, f := range tt.formats {
				if !strings.Contains(line, " "+f) {
					t.Errorf("--format help does not list %s: %q", f, line)
				}
			}
		})
	}
}
