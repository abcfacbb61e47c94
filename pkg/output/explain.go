package output

import (
	"fmt"
	"io"

	"github.com/aims-dev/aims/pkg/catalog"
	"github.com/aims-dev/aims/pkg/diag"
)

// Explain writes what a rule checks, the requirements it protects (with
// their catalog titles), why an auditor cares and how to fix a finding: the
// text of `aims explain`, from the same rule value that feeds `aims rules`,
// SARIF help and docs/rules.md.
func Explain(w io.Writer, r diag.Rule, cat *catalog.Catalog) error {
	fmt.Fprintf(w, "%s: %s\n", r.ID, r.Title)
	conf := "cannot be changed in aims.yaml"
	if r.Configurable {
		conf = "configurable in aims.yaml under rules: with a reason"
	}
	fmt.Fprintf(w, "Severity: %s (%s)\n", r.Severity, conf)
	fmt.Fprintf(w, "\nWhat it checks\n  %s\n", r.Description)
	if len(r.Refs) > 0 {
		fmt.Fprintf(w, "\nRequirements it protects\n")
		for _, id := range r.Refs {
			title := ""
			if e, ok := cat.Lookup(id); ok {
				title = e.Title
			}
			fmt.Fprintf(w, "  %-8s %s\n", id, title)
		}
	}
	if r.Why != "" {
		fmt.Fprintf(w, "\nWhy an auditor cares\n  %s\n", r.Why)
	}
	if r.Fix != "" {
		fmt.Fprintf(w, "\nHow to fix it\n  %s\n", r.Fix)
	}
	return nil
}

// UnknownRule is the error for an id no rule has, with the closest ids.
func UnknownRule(id string, rules []diag.Rule) error {
	ids := make([]string, len(rules))
	for i, r := range rules {
		ids[i] = r.ID
	}
	msg := fmt.Sprintf("unknown rule %q", id)
	if s := diag.SuggestWithin(id, ids, 2); s != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", s)
	}
	return fmt.Errorf("%s; `aims rules` lists them all", msg)
}
