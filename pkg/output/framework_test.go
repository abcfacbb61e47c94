package output

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aims-dev/aims/pkg/crosswalk"
	"github.com/aims-dev/aims/pkg/gap"
)

// A framework view in text says it is derived and from what, groups items
// under their framework's groups, traces each to its ISO/IEC 42001
// requirements with type and source, says which are not met and why, and
// lists the mapping sources; json round-trips.
func TestFrameworkFormats(t *testing.T) {
	src, _ := crosswalk.LookupSource("nist-crosswalk")
	v := &gap.FrameworkView{Framework: "nist-ai-rmf", Name: "NIST AI RMF 1.0", AsOf: "2026-12-01", DerivedFrom: "iso42001",
		Basis:   "derived from the ISO/IEC 42001:2023 requirement statuses",
		Summary: gap.FrameworkSummary{Counts: gap.Counts{Total: 1, Partial: 1}},
		Items: []gap.FrameworkItem{{ID: "nist-ai-rmf:GOVERN 1.3", Title: "Risk tolerance", Group: "GOVERN", Status: gap.Partial, Derived: true,
			NotMet: []string{"iso42001:6.1.2"},
			Requirements: []gap.MappedRequirement{
				{ID: "iso42001:6.1.1", Title: "Actions", Status: gap.Met, Type: crosswalk.Intersects, Source: "nist-crosswalk"},
				{ID: "iso42001:6.1.2", Title: "Risk assessment", Status: gap.Partial, Type: crosswalk.Intersects, Source: "nist-crosswalk",
					Reasons: []string{"risk r1 has no\n owner"}},
			}}},
		Sources: []crosswalk.Source{src},
	}
	var text, js bytes.Buffer
	for f, b := range map[string]*bytes.Buffer{"text": &text, "json": &js} {
		w, err := NewFramework(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := w(b, v); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range []string{
		"NIST AI RMF 1.0 view as of 2026-12-01 (derived)",
		"\nGovern: a culture of AI risk management\n",
		"  ~ GOVERN 1.3  partial  Risk tolerance\n",
		"ISO/IEC 42001:2023: 6.1.1 met, 6.1.2 partial [intersects; nist-crosswalk]",
		"not met: 6.1.2 Risk assessment (partial): risk r1 has no owner\n",
		"nist-crosswalk: NIST AI RMF to ISO/IEC 42001 crosswalk",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
	if strings.Contains(text.String(), "not met: 6.1.1") {
		t.Errorf("text lists a met requirement as not met:\n%s", text.String())
	}
	var back gap.FrameworkView
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || len(back.Items) != 1 || back.Items[0].Requirements[1].Source != "nist-crosswalk" {
		t.Errorf("json does not round-trip (%v):\n%s", err, js.String())
	}
}
