package gap

import (
	"github.com/aims-dev/aims/pkg/diag"
)

// supplierRule are the rules about the responsibilities shared with
// suppliers (A.10.2); each sits beside the check that applies it and is
// registered by being a field here.
var supplierRule = struct {
	ResponsibilitiesNotAllocated *diag.Rule
}{
	ResponsibilitiesNotAllocated: &diag.Rule{
		ID: "AIMS-G088", Severity: diag.Warning, Refs: []string{"A.10.2"},
		Title: "Supplier responsibilities not allocated", Description: "Each supplier must record the responsibilities it holds and those the organisation keeps (a `shared` one counts for both sides).",
		Why:          "Control A.10.2 asks that responsibilities within the AI system life cycle are allocated between the organisation and its suppliers; a supplier whose record allocates nothing, or only one side, leaves the auditor unable to see who does what when the supplied model, data or service fails.",
		Fix:          "Add `responsibilities` to the `kind: Supplier`, each `{party: supplier|organization|shared, responsibility: ...}`, with at least one for the supplier and one the organisation keeps, as the contract or its AI addendum says. If A.10.2 is applicable and you have no suppliers yet, record the ones you use or justify the exclusion in the SoA. An override is not honest.",
		Configurable: true,
	},
}

func (a *analyzer) checkSupplierResponsibilities() {
	for _, s := range a.m.Suppliers {
		supplier, org := false, false
		for _, r := range s.Responsibilities {
			supplier = supplier || r.Party == "supplier" || r.Party == "shared"
			org = org || r.Party == "organization" || r.Party == "shared"
		}
		switch {
		case len(s.Responsibilities) == 0:
			a.report(supplierRule.ResponsibilitiesNotAllocated, pos(s.Doc), "supplier %s allocates no responsibilities between it and the organisation", s.ID)
		case !supplier:
			a.report(supplierRule.ResponsibilitiesNotAllocated, pos(s.Doc, "responsibilities"), "supplier %s: no responsibility is allocated to the supplier", s.ID)
		case !org:
			a.report(supplierRule.ResponsibilitiesNotAllocated, pos(s.Doc, "responsibilities"), "supplier %s: no responsibility is kept by the organisation", s.ID)
		}
	}
	if row, ok := a.soaRows()["A.10.2"]; ok && row.row.Applicable && len(a.m.Suppliers) == 0 && !a.m.HasInvalid("Supplier") {
		a.report(supplierRule.ResponsibilitiesNotAllocated, pos(row.soa.Doc, "controls", row.i, "control"), "A.10.2 is applicable but no Supplier records allocate responsibilities")
	}
}
