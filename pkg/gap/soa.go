package gap

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/diag"
)

// soaRule are the rules about the Statement of Applicability; each sits
// beside the check that applies it and is registered by being a field here.
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
	NoSoA: &diag.Rule{
		ID: "AIMS-G010", Severity: diag.Error, Refs: []string{"6.1.3"},
		Title: "No Statement of Applicability", Description: "An Applicability document must list every Annex A control.",
		Why:          "The Statement of Applicability is mandatory documented information under 6.1.3 and the auditor's map of the whole AIMS: it is where each Annex A control is shown to have been considered, with the decision and its justification. Its absence is a major nonconformity.",
		Fix:          "Add a `kind: Applicability` document with a `controls` list holding one entry per Annex A control: `control: A.6.2.4`, `applicable: true`, `implementation: implemented`, `evidence: [ev-vv-report]`, `owner`, or `applicable: false` with a `justification`. `aims init` or the example AIMS gives a complete starting list. Do not override.",
		Configurable: true,
	},
	ControlMissing: &diag.Rule{
		ID: "AIMS-G011", Severity: diag.Error, Refs: []string{"6.1.3"},
		Title: "Control missing from the SoA", Description: "Every one of the 38 Annex A controls must appear in the Statement of Applicability.",
		Why:          "Under 6.1.3 the necessary controls must be compared with Annex A so that none is overlooked; a control absent from the SoA shows that comparison was never made for it, and an auditor will expect all 38 controls to carry a decision.",
		Fix:          "Add a row to `controls` in the `kind: Applicability` document for each control the message lists, e.g. `control: A.10.3` with `applicable: true` and an `implementation` status, or `applicable: false` with a `justification`. Do not override: an incomplete SoA cannot show that every control was considered.",
		Configurable: true,
	},
	ControlListedTwice: &diag.Rule{
		ID: "AIMS-G012", Severity: diag.Error, Refs: []string{"6.1.3"},
		Title: "Control listed twice in the SoA", Description: "Each control appears once, so its decision is unambiguous.",
		Why:          "If a control appears twice in the SoA (6.1.3), the two rows can disagree on applicability or status, and the auditor cannot tell which decision the organisation actually made.",
		Fix:          "Merge the two rows named in the message into one entry under `controls` in the `kind: Applicability` document, keeping a single `applicable`, `implementation`, `justification` and the union of the `evidence` ids. There is no honest override: one control, one decision.",
		Configurable: true,
	},
	ExclusionUnjustified: &diag.Rule{
		ID: "AIMS-G013", Severity: diag.Error, Refs: []string{"6.1.3"},
		Title: "Exclusion without justification", Description: "A control marked not applicable needs a written justification.",
		Why:          "Clause 6.1.3 requires a justification for each control excluded from the SoA; auditors read exclusions closely because an unexplained one looks like a way to shrink the audit.",
		Fix:          "Add a `justification` to the row with `applicable: false`, saying why the control is not needed (e.g. `justification: \"We build no AI systems in-house; all models are bought in (see supplier controls).\"`), or set `applicable: true` if it does apply. Do not override: an exclusion without a reason does not meet the clause.",
		Configurable: true,
	},
	ExcludedButRelied: &diag.Rule{
		ID: "AIMS-G014", Severity: diag.Error, Refs: []string{"6.1.3", "8.3"},
		Title: "Excluded control used in a treatment", Description: "A control that a risk treatment or impact-assessment mitigation relies on cannot be excluded.",
		Why:          "A control that a risk treatment or impact mitigation depends on cannot be not applicable; an SoA that contradicts the treatment plan (6.1.3, 8.3) tells the auditor one of the two records is wrong, and the risk may in fact be untreated.",
		Fix:          "Either set `applicable: true` for that control in the `kind: Applicability` document (with an `implementation` status and `evidence`), or remove it from the `treatment.controls` of the Risk or the `mitigations[].controls` of the ImpactAssessment named in the message and name the control that really treats the risk. Do not override: the contradiction is the finding.",
		Configurable: true,
	},
	ImplementedWithoutEvidence: &diag.Rule{
		ID: "AIMS-G015", Severity: diag.Warning, Refs: []string{"6.1.3"},
		Title: "Implemented control without evidence", Description: "A control recorded as implemented or partial must list the evidence that shows it.",
		Why:          "An auditor verifies SoA claims by sampling evidence; a control recorded as implemented or partial with nothing behind it is an unsupported claim against 6.1.3 and will be tested first.",
		Fix:          "List the ids of `kind: Evidence` documents that show the control working in the row's `evidence` (e.g. `evidence: [ev-access-review-2026q1]`), and make each such Evidence list the control in its `satisfies`. If nothing exists yet, set `implementation: planned` or `not_started` honestly. An override is rarely honest; at most `severity: info` with a reason while evidence is being collected for a new control.",
		Configurable: true,
	},
	NoImplementationStatus: &diag.Rule{
		ID: "AIMS-G016", Severity: diag.Warning, Refs: []string{"6.1.3"},
		Title: "Applicable control without status", Description: "An applicable control needs an implementation status.",
		Why:          "For each applicable control an auditor wants to know whether it is in place; a row with no implementation status leaves 6.1.3 half answered and hides whether the control is operating or still a plan.",
		Fix:          "Set `implementation` on the row to one of `not_started`, `planned`, `partial`, `implemented`, and add `evidence` for `partial` or `implemented`. There is no honest reason to override this; `planned` is a perfectly acceptable answer.",
		Configurable: true,
	},
	EvidenceDoesNotClaim: &diag.Rule{
		ID: "AIMS-G017", Severity: diag.Warning, Refs: []string{"6.1.3"},
		Title: "SoA evidence does not claim the control", Description: "An SoA row cites evidence whose satisfies does not list that control: one of the two is probably wrong, the trace from evidence to control is broken, and the control is at most partial.",
		Why:          "Auditors follow the trace from SoA row to evidence and back (6.1.3); when the evidence does not say it supports the control that cites it, one of the two records is wrong and the trace the audit relies on is broken.",
		Fix:          "Either add the control id to the Evidence's `satisfies` (e.g. `satisfies: [\"A.6.2.4\"]`) if it does show that control, or remove the Evidence id from the SoA row's `evidence` and cite the right one. An override is not honest; fix whichever side is wrong.",
		Configurable: true,
	},
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
					a.reportAgainst(soaRule.EvidenceDoesNotClaim, []string{r.Control}, pos(s.Doc, "controls", i, "evidence", j), "control %s cites evidence %s, which does not list %s in its satisfies", r.Control, id, r.Control)
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
