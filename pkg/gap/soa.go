package gap

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/diag"
)

// soaRule are the rules about the Statement of Applicability; each sits beside the check that
// applies it and is registered by being a field here.
var soaRule = struct {
	NoSoA                      *diag.Rule
	ControlMissing             *diag.Rule
	ControlListedTwice         *diag.Rule
	ExclusionUnjustified       *diag.Rule
	ExcludedButRelied          *diag.Rule
	ImplementedWithoutEvidence *diag.Rule
	NoImplementationStatus     *diag.Rule
	EvidenceDoesNotClaim       *diag.Rule
}{
	NoSoA:                      &diag.Rule{ID: "AIMS-G010", Severity: diag.Error, Refs: []string{"6.1.3"}, Title: "No Statement of Applicability", Description: "An Applicability document must list every Annex A control.", Configurable: true},
	ControlMissing:             &diag.Rule{ID: "AIMS-G011", Severity: diag.Error, Refs: []string{"6.1.3"}, Title: "Control missing from the SoA", Description: "Every one of the 38 Annex A controls must appear in the Statement of Applicability.", Configurable: true},
	ControlListedTwice:         &diag.Rule{ID: "AIMS-G012", Severity: diag.Error, Refs: []string{"6.1.3"}, Title: "Control listed twice in the SoA", Description: "Each control appears once, so its decision is unambiguous.", Configurable: true},
	ExclusionUnjustified:       &diag.Rule{ID: "AIMS-G013", Severity: diag.Error, Refs: []string{"6.1.3"}, Title: "Exclusion without justification", Description: "A control marked not applicable needs a written justification.", Configurable: true},
	ExcludedButRelied:          &diag.Rule{ID: "AIMS-G014", Severity: diag.Error, Refs: []string{"6.1.3", "8.3"}, Title: "Excluded control used in a treatment", Description: "A control that a risk treatment or impact-assessment mitigation relies on cannot be excluded.", Configurable: true},
	ImplementedWithoutEvidence: &diag.Rule{ID: "AIMS-G015", Severity: diag.Warning, Refs: []string{"6.1.3"}, Title: "Implemented control without evidence", Description: "A control recorded as implemented or partial must list the evidence that shows it.", Configurable: true},
	NoImplementationStatus:     &diag.Rule{ID: "AIMS-G016", Severity: diag.Warning, Refs: []string{"6.1.3"}, Title: "Applicable control without status", Description: "An applicable control needs an implementation status.", Configurable: true},
	EvidenceDoesNotClaim:       &diag.Rule{ID: "AIMS-G017", Severity: diag.Warning, Refs: []string{"6.1.3"}, Title: "SoA evidence does not claim the control", Description: "An SoA row cites evidence whose satisfies does not list that control: one of the two is probably wrong, and the trace from evidence to control is broken.", Configurable: true},
}

// soaRow is where a control's SoA decision lives.
type soaRow struct {
	soa *aims.Applicability
	i   int
	row aims.ControlRow
}

func (a *analyzer) soaRows() map[string]soaRow {
	rows := map[string]soaRow{}
	for _, s := range a.m.SoAs {
		for i, r := range s.Controls {
			if _, dup := rows[r.Control]; !dup {
				rows[r.Control] = soaRow{s, i, r}
			}
		}
	}
	return rows
}

func (a *analyzer) checkSoA() {
	if len(a.m.SoAs) == 0 {
		if a.m.HasInvalid("Applicability") {
			return // its schema errors say what is wrong
		}
		a.report(soaRule.NoSoA, diag.Pos{}, "no Statement of Applicability: add an Applicability document listing all %d Annex A controls", len(a.cat.ControlIDs()))
		return
	}
	seen := map[string]diag.Pos{}
	for _, s := range a.m.SoAs {
		for i, r := range s.Controls {
			p := pos(s.Doc, "controls", i, "control")
			if first, dup := seen[r.Control]; dup {
				a.emit(soaRule.ControlListedTwice, -1, p, []diag.Pos{first}, fmt.Sprintf("control %s is listed twice", r.Control))
				continue
			}
			seen[r.Control] = p
			switch {
			case !r.Applicable && strings.TrimSpace(r.Justification) == "":
				a.report(soaRule.ExclusionUnjustified, pos(s.Doc, "controls", i, "applicable"), "control %s is excluded without a justification", r.Control)
			case r.Applicable && r.Implementation == "":
				a.report(soaRule.NoImplementationStatus, p, "applicable control %s has no implementation status", r.Control)
			case r.Applicable && len(r.Evidence) == 0 && (r.Implementation == "implemented" || r.Implementation == "partial"):
				a.report(soaRule.ImplementedWithoutEvidence, p, "control %s is recorded as %s but lists no evidence", r.Control, r.Implementation)
			}
			for j, id := range r.Evidence {
				if e, ok := a.m.ByID[id].(*aims.Evidence); ok && !slices.Contains(e.Satisfies, r.Control) {
					a.report(soaRule.EvidenceDoesNotClaim, pos(s.Doc, "controls", i, "evidence", j), "control %s cites evidence %s, which does not list %s in its satisfies", r.Control, id, r.Control)
				}
			}
		}
	}
	var missing []string
	for _, id := range a.cat.ControlIDs() {
		if _, ok := seen[id]; !ok {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		s := a.m.SoAs[0]
		a.report(soaRule.ControlMissing, pos(s.Doc, "controls"), "%d Annex A control%s missing from the Statement of Applicability: %s",
			len(missing), pluralS(len(missing)), strings.Join(missing, ", "))
	}

	// A control relied on elsewhere cannot be excluded.
	rows := a.soaRows()
	used := func(ctrl, by string) {
		if r, ok := rows[ctrl]; ok && !r.row.Applicable {
			a.report(soaRule.ExcludedButRelied, pos(r.soa.Doc, "controls", r.i, "applicable"), "control %s is excluded but %s relies on it", ctrl, by)
		}
	}
	for _, r := range a.m.Risks {
		if r.Treatment != nil {
			for _, c := range r.Treatment.Controls {
				used(c, "the treatment of risk "+r.ID)
			}
		}
	}
	for _, ia := range a.m.ImpactAssessments {
		for _, mt := range ia.Mitigations {
			for _, c := range mt.Controls {
				used(c, "a mitigation in impact assessment "+ia.ID)
			}
		}
	}
}

func pluralS(n int) string {
	if n == 1 {
		return " is"
	}
	return "s are"
}
