package gap

import (
	"slices"
	"strings"

	"github.com/aims-dev/aims/pkg/diag"
)

// awarenessRule are the rules about awareness (7.3); each sits beside the
// check that applies it and is registered by being a field here.
var awarenessRule = struct {
	AwarenessNotRecorded *diag.Rule
}{
	AwarenessNotRecorded: &diag.Rule{
		ID: "AIMS-G089", Severity: diag.Error, Refs: []string{"7.3"},
		Title: "Awareness not recorded", Description: "The AIMS needs Awareness records showing that the people doing work under it were made aware of the AI policy, their contribution and the implications of not conforming, and when.",
		Why:          "Clause 7.3 requires people doing work under the AIMS to be aware of the AI policy, of their contribution to the AIMS and of what not conforming means. An auditor interviews staff and asks for the records behind it; a training file that happens to claim 7.3 does not say who was reached or what they were told.",
		Fix:          "Add a `kind: Awareness` with `audience` (who does work under the AIMS), `policy` (the AI policy id), `covers: [policy, contribution, nonconformity]`, `method` and `records` (`date`, `reached`, `evidence`), e.g. `- {date: 2026-10-31, reached: 96.9 % of in-scope staff, evidence: ev-awareness-training-2026}`. An override is not honest.",
		Configurable: true,
	},
}

// awarenessTopics are what 7.3 asks people to be aware of, as recorded in
// an Awareness document's covers.
var awarenessTopics = []string{"policy", "contribution", "nonconformity"}

func (a *analyzer) checkAwareness() {
	if len(a.m.Awareness) == 0 && !a.m.HasInvalid("Awareness") {
		a.report(awarenessRule.AwarenessNotRecorded, diag.Pos{}, "no Awareness records: show that people doing work under the AIMS know the AI policy, their contribution and the implications of not conforming (7.3)")
	}
	for _, aw := range a.m.Awareness {
		if missing := a.awarenessMissing(aw.Covers); len(missing) > 0 {
			a.report(awarenessRule.AwarenessNotRecorded, pos(aw.Doc, "covers"), "awareness %s does not cover: %s", aw.ID, strings.Join(missing, ", "))
		}
		if len(aw.Records) == 0 {
			a.report(awarenessRule.AwarenessNotRecorded, pos(aw.Doc, "audience"), "awareness %s has no record that it took place", aw.ID)
		}
	}
}

func (a *analyzer) awarenessMissing(covers []string) []string {
	return slices.DeleteFunc(slices.Clone(awarenessTopics), func(t string) bool { return slices.Contains(covers, t) })
}
