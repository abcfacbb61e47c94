package report

import (
	"cmp"
	"strings"

	"github.com/aims-dev/aims/pkg/aims"
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
	// The assessment itself, not just its counts: what an auditor reads to
	// judge whether the impacts found were treated.
	Impacts []impactLine
	Actions []mitigationLine
}

type impactLine struct {
	Scope    string // individuals or society
	Who      string // the group or area affected
	Impacts  string
	Severity string
}

type mitigationLine struct {
	Description string
	Controls    string
	Risks       string
}

func (b *builder) impacts() []impactView {
	var out []impactView
	for _, ia := range b.m.ImpactAssessments {
		v := impactView{Link: b.docLink(ia), ID: ia.ID, System: b.name(ia.System), Assessed: ia.Assessed,
			Severity: cmp.Or(ia.Severity, "not rated"), Approval: approval(&ia.Meta), Individuals: len(ia.Individuals),
			Societal: len(ia.Societal), Mitigations: len(ia.Mitigations), Conclusion: ia.Conclusion}
		add := func(scope string, list []aims.Impact) {
			for _, im := range list {
				v.Impacts = append(v.Impacts, impactLine{Scope: scope, Who: cmp.Or(im.Group, im.Area, "not named"),
					Impacts: strings.Join(im.Impacts, "; "), Severity: cmp.Or(im.Severity, "not rated")})
			}
		}
		add("individuals", ia.Individuals)
		add("society", ia.Societal)
		for _, m := range ia.Mitigations {
			v.Actions = append(v.Actions, mitigationLine{Description: m.Description, Controls: strings.Join(m.Controls, ", "), Risks: strings.Join(m.Risks, ", ")})
		}
		out = append(out, v)
	}
	return out
}
