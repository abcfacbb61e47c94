package output

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aims-dev/aims/pkg/catalog"
	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/gap"
)

// Each output kind refuses a format it does not have, naming the ones it
// has, so a command never has to check a format itself.
func TestEveryKindRefusesUnknownFormats(t *testing.T) {
	tests := []struct {
		name    string
		newF    func(string) error
		formats []string
		want    string
	}{
		{"gaps", func(f string) error { _, err := NewGaps(f); return err }, GapsFormats(), "text or json"},
		{"rules", func(f string) error { _, err := NewRules(f); return err }, RulesFormats(), "one of text, json, md"},
		{"framework", func(f string) error { _, err := NewFramework(f); return err }, FrameworkFormats(), "text or json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.newF("xml"); err == nil || !strings.Contains(err.Error(), `"xml"`) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New(xml) = %v, want an error naming xml and listing %s", err, tt.want)
			}
			for _, f := range tt.formats {
				if err := tt.newF(f); err != nil {
					t.Errorf("New(%s), a listed format: %v", f, err)
				}
			}
		})
	}
}

func TestGapsFormats(t *testing.T) {
	res := &gap.Result{AsOf: "2026-12-01", Requirements: []gap.Requirement{{ID: "4.1", Parent: "4", Title: "Context", Status: gap.Missing, Reasons: []string{"no  evidence\nat all"}}}}
	cat := catalog.ISO42001()
	var text, js bytes.Buffer
	for f, b := range map[string]*bytes.Buffer{"text": &text, "json": &js} {
		w, err := NewGaps(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := w(b, res, cat); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range []string{"ISO/IEC 42001 gap analysis as of 2026-12-01", "\n4 Organisational context\n", "✗ 4.1", "- no evidence at all"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
	var back gap.Result
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || back.AsOf != "2026-12-01" || len(back.Requirements) != 1 {
		t.Errorf("json does not round-trip (%v):\n%s", err, js.String())
	}
}

func TestRulesFormatsAndIndex(t *testing.T) {
	rules := []gap.Rule{{ID: "AIMS-G001", Severity: diag.Error, Refs: []string{"5.2"}, Title: "Policy", Description: "a | b", Configurable: true}}
	var md bytes.Buffer
	w, err := NewRules("md")
	if err != nil {
		t.Fatal(err)
	}
	if err := w(&md, rules); err != nil {
		t.Fatal(err)
	}
	if want := "| [AIMS-G001](#aims-g001) | error | 5.2 | yes | **Policy.** a \\| b |\n"; !strings.Contains(md.String(), want) {
		t.Errorf("md lacks the escaped row %q:\n%s", want, md.String())
	}
	idx := RuleIndex(rules)
	if r := idx["AIMS-G001"]; r.Title != "Policy" || r.Description != "a | b" || r.Severity != diag.Error {
		t.Errorf("RuleIndex = %+v", idx)
	}
}
