package gap

import (
	"strings"
	"unicode"

	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/load"
)

// narrativeRule are the rules about the prose that carries a control; each
// sits beside the check that applies it and is registered by being a field
// here.
var narrativeRule = struct {
	Placeholder *diag.Rule
}{
	Placeholder: &diag.Rule{
		ID: "AIMS-G090", Severity: diag.Error, Refs: []string{"7.5.2"},
		Title: "Placeholder where a control needs words", Description: "A narrative field that carries a control (exclusion justifications, mitigations, treatment plans, acceptance rationales, root causes, corrections, decisions, supplier responsibilities, ...) holds a placeholder such as `n/a`, `x`, `TBD` or `-`, or fewer than 4 letters or digits. It counts against the requirement the field serves; an SoA exclusion justified so is not an exclusion. An AI system's human oversight, fallback and shutdown criteria are judged by the tier rules (AIMS-G044, AIMS-G045), which count a placeholder as absent.",
		Why:          "The field is where the control is described: an auditor reading `fallback: n/a` or an exclusion justified with `-` finds no control and no decision, only a filled-in form (7.5.2 asks for documented information to be adequate for its purpose).",
		Fix:          "Write what is actually done, in a sentence an auditor can test: who oversees and how, what happens when the system is switched off, why the control does not apply, what the mitigation changes. If there is nothing to say yet, leave the field out, so the gap shows as missing rather than filled.",
		Configurable: true,
	},
}

// narrative is a prose field that carries a control: in documents of kind
// Kind, at Path (slash-separated keys, * for every element of a list). A
// placeholder there counts against Refs, or, with RefKey, against the
// requirement named by that key beside the field (an SoA row's control).
type narrative struct {
	Kind, Path string
	Refs       []string
	RefKey     string
}

// An AI system's human oversight, fallback and shutdown criteria are not
// here: the tier rules judge them (AIMS-G044, AIMS-G045) and count a
// placeholder as absent, so the system's verdict and the finding agree.
var narratives = []narrative{
	{Kind: "AISystem", Path: "purpose", Refs: []string{"A.9.4"}},
	{Kind: "Applicability", Path: "controls/*/justification", RefKey: "control"},
	{Kind: "Scope", Path: "systems/excluded/*/justification", Refs: []string{"4.3"}},
	{Kind: "Scope", Path: "units/excluded/*/justification", Refs: []string{"4.3"}},
	{Kind: "ImpactAssessment", Path: "mitigations/*/description", Refs: []string{"6.1.4", "8.4"}},
	{Kind: "ImpactAssessment", Path: "conclusion", Refs: []string{"6.1.4", "8.4"}},
	{Kind: "Risk", Path: "treatment/plan", Refs: []string{"6.1.3", "8.3"}},
	{Kind: "Risk", Path: "acceptance/rationale", Refs: []string{"6.1.3", "8.3"}},
	{Kind: "Risk", Path: "consequences", Refs: []string{"6.1.2", "8.2"}},
	{Kind: "Nonconformity", Path: "correction", Refs: []string{"10.2"}},
	{Kind: "Nonconformity", Path: "root_cause", Refs: []string{"10.2"}},
	{Kind: "Nonconformity", Path: "corrective_actions/*/action", Refs: []string{"10.2"}},
	{Kind: "ManagementReview", Path: "decisions/*", Refs: []string{"9.3.3"}},
	{Kind: "ManagementReview", Path: "actions/*/action", Refs: []string{"9.3.3"}},
	{Kind: "Supplier", Path: "responsibilities/*/responsibility", Refs: []string{"A.10.2"}},
	{Kind: "Competence", Path: "gaps/*/action", Refs: []string{"7.2"}},
	{Kind: "Dataset", Path: "representativeness/assessment", Refs: []string{"A.7.4"}},
	{Kind: "Evidence", Path: "never_expires_reason", Refs: []string{"7.5.3"}},
}

// placeholders are what people type to get past a required field.
var placeholders = map[string]bool{
	"n/a": true, "na": true, "n.a.": true, "none": true, "nil": true, "null": true, "tbd": true, "tbc": true,
	"todo": true, "x": true, "xx": true, "xxx": true, "-": true, "--": true, "...": true, "?": true,
	"same": true, "same as above": true, "see above": true, "placeholder": true, "lorem ipsum": true,
	"not applicable": true, "to be defined": true, "to be decided": true, "to be confirmed": true,
}

// says reports whether a narrative field says something: it is not a
// placeholder and has at least 4 letters or digits.
func says(s string) bool {
	t := strings.ToLower(strings.TrimSpace(s))
	if placeholders[strings.TrimRight(t, ".!")] || placeholders[t] {
		return false
	}
	n := 0
	for _, r := range t {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
	}
	return n >= 4
}

// narrativesOf lists, per kind, its entries of narratives in their order,
// with their paths split once.
var narrativesOf = func() map[string][]narrativeOf {
	m := map[string][]narrativeOf{}
	for _, nf := range narratives {
		m[nf.Kind] = append(m[nf.Kind], narrativeOf{nf, splitPath(nf.Path)})
	}
	return m
}()

type narrativeOf struct {
	narrative
	path fieldPath
}

// checkNarratives reports every placeholder in a field that carries a
// control.
func (a *analyzer) checkNarratives() {
	for _, h := range a.scanned().narratives {
		m, nf, ptr := h.doc.Header(), h.rule, h.ptr
		refs := nf.Refs
		if nf.RefKey != "" {
			refs = nil
			if id, ok := sibling(m.Doc.Root(), ptr, nf.RefKey); ok {
				refs = []string{id}
			}
		}
		a.reportAgainst(narrativeRule.Placeholder, refs, valueAt(m.Doc, ptr...),
			"%s %s: %s is a placeholder (%q), not a description", m.Kind, m.Name(), strings.Join(pathNames(ptr), "."), strings.TrimSpace(h.s))
	}
}

// sibling is the string at key beside the field at ptr.
func sibling(v any, ptr []any, key string) (string, bool) {
	for _, p := range ptr[:len(ptr)-1] {
		switch p := p.(type) {
		case string:
			v, _ = load.Get(v, p)
		case int:
			l, _ := v.([]any)
			if p >= len(l) {
				return "", false
			}
			v = l[p]
		}
	}
	x, _ := load.Get(v, key)
	s, ok := x.(string)
	return s, ok
}
