package link

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aims-dev/aims/pkg/catalog"
)

func TestSuggestFramework(t *testing.T) {
	for name, want := range map[string]string{
		"ISO 27001":   "iso27001",
		"NIST_AI_RMF": "nist-ai-rmf",
		"nist-rmf":    "nist-ai-rmf",
		"eu-aiact":    "eu-ai-act",
		"iso42010":    "iso42001",
		"gdpr":        "",
	} {
		if got := suggestFramework(name, catalog.Frameworks()); got != want {
			t.Errorf("suggestFramework(%q) = %q, want %q", name, got, want)
		}
	}
}

// A standard aims has no crosswalk for is named as such, not "corrected"
// to a neighbour; a misspelt one gets a did-you-mean at its value.
func TestCheckFrameworks(t *testing.T) {
	got := check(t, map[string]string{"aims.yaml": "apiVersion: aims/v1\nkind: Manifest\norganization: {name: Org}\nframeworks: [iso42001, iso27701, ISO 27001, gdpr]\n"})
	want := []string{
		`aims.yaml:4:24: error: aims has no crosswalk for framework "iso27701" (aims knows iso42001, nist-ai-rmf, eu-ai-act, iso27001, iso9001, iso31000) [AIMS-R008]`,
		`aims.yaml:4:34: error: unknown framework "ISO 27001" (did you mean "iso27001"?) [AIMS-R008]`,
		`aims.yaml:4:45: error: unknown framework "gdpr" (aims knows iso42001, nist-ai-rmf, eu-ai-act, iso27001, iso9001, iso31000) [AIMS-R008]`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}
