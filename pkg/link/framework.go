package link

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/aims-dev/aims/pkg/catalog"
	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/load"
)

// CodeUnknownFramework is a framework in aims.yaml that aims does not know.
const CodeUnknownFramework = "AIMS-R008"

var unknownFramework = &diag.Rule{
	ID: CodeUnknownFramework, Severity: diag.Error, Refs: []string{"4.4"},
	Title: "Unknown framework", Description: "aims.yaml lists a framework aims does not know (its id is misspelt, or aims has no crosswalk for it).",
	Why: "The manifest's `frameworks` say which standards and regulations the AIMS answers to, and the report gains a section for each; a framework aims does not know gets no section and no view, so an auditor would read a list that promises a mapping nobody checks, in the document that defines the AIMS (4.4).",
	Fix: "Use a framework id aims knows (`aims catalog --framework` lists them: `iso42001`, `nist-ai-rmf`, `eu-ai-act`, `iso27001`, `iso9001`, `iso31000`), e.g. `frameworks: [iso42001, eu-ai-act]`; the message suggests the nearest id. Remove a framework aims has no crosswalk for and keep that mapping in your own documents. This rule cannot be switched off.",
}

// unmapped are standards an AIMS is often integrated with that aims has no
// crosswalk for yet: named as such rather than "corrected" to a neighbour
// (iso27701 is not a misspelt iso27001).
var unmapped = []string{"iso27701", "iso23894", "iso42005"}

// checkFrameworks reports every framework the Manifest d lists that is not
// in the catalog's registry, at its value, with a did-you-mean.
func checkFrameworks(d *load.Document, out *diag.List) {
	v, _ := load.Get(d.Root(), "frameworks")
	list, _ := v.([]any)
	known := catalog.Frameworks()
	for i, v := range list {
		name, ok := v.(string)
		if !ok {
			continue // the schema reports wrong types
		}
		if _, err := catalog.Framework(name); err == nil {
			continue
		}
		msg := fmt.Sprintf("unknown framework %q", name)
		if slices.Contains(unmapped, name) {
			msg = fmt.Sprintf("aims has no crosswalk for framework %q (aims knows %s)", name, strings.Join(known, ", "))
		} else if s := suggestFramework(name, known); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		} else {
			msg += " (aims knows " + strings.Join(known, ", ") + ")"
		}
		out.Add(d.ValueAt(fmt.Sprintf("/frameworks/%d", i)), diag.Error, CodeUnknownFramework, "%s", msg)
	}
}

// suggestFramework finds the known id name most likely means: the same
// letters and digits whatever the case and punctuation ("ISO 27001",
// "NIST_AI_RMF"), else the nearest by edits.
func suggestFramework(name string, known []string) string {
	squash := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return unicode.ToLower(r)
			}
			return -1
		}, s)
	}
	var within []string
	for _, k := range known {
		if squash(k) == squash(name) {
			return k
		}
		if subsequence(squash(name), squash(k)) {
			within = append(within, k)
		}
	}
	if len(within) == 1 && len(squash(name)) >= 3 { // "nist-rmf", "euact"
		return within[0]
	}
	return diag.Suggest(name, known)
}

// subsequence reports whether s is t with some characters left out.
func subsequence(s, t string) bool {
	for _, r := range s {
		i := strings.IndexRune(t, r)
		if i < 0 {
			return false
		}
		t = t[i+len(string(r)):]
	}
	return true
}
