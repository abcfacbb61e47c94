package report

import (
	"cmp"
)

// ---- impact assessments ----

type impactView struct {
	Link        link
	ID          string
	System      string
	Assessed    string
	Severity    string
	Approval    string
	Individuals int
	Societal    int
	Mitigations int
	Conclusion  string
}

func (b *builder) impacts() []impactView {
	var out []impactView
	for _, ia := range b.m.ImpactAssessments {
		out = append(out, impactView{Link: b.docLink(ia), ID: ia.ID, System: b.name(ia.System), Assessed: ia.Assessed,
			Severity: cmp.Or(ia.Severity, "not rated"), Approval: approval(&ia.Meta), Individuals: len(ia.Individuals),
			Societal: len(ia.Societal), Mitigations: len(ia.Mitigations), Conclusion: ia.Conclusion})
	}
	return out
}
