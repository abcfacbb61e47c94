package gap

import (
	"github.com/aims-dev/aims/pkg/diag"
)

// communicationRule are the rules about communication (7.4); each sits
// beside the check that applies it and is registered by being a field here.
var communicationRule = struct {
	NoCommunication       *diag.Rule
	CommunicationNoRecord *diag.Rule
}{
	NoCommunication: &diag.Rule{
		ID: "AIMS-G086", Severity: diag.Error, Refs: []string{"7.4"},
		Title: "No communication plan", Description: "The AIMS needs Communication documents saying what is communicated, when, with whom and by whom.",
		Why:          "Clause 7.4 requires the organisation to determine the internal and external communications relevant to the AIMS: on what, when, with whom and who communicates. Without them an auditor has no plan to compare practice against, and evidence that happens to mention communication does not replace it.",
		Fix:          "Add `kind: Communication` documents with `topic` (what), `frequency` (when), `audience` (with whom), `owner` (who communicates), `channel` and `direction` (internal or external), and `records` of each time it happened. An override is not honest.",
		Configurable: true,
	},
	CommunicationNoRecord: &diag.Rule{
		ID: "AIMS-G087", Severity: diag.Warning, Refs: []string{"7.4"},
		Title: "Communication never recorded", Description: "A planned communication has no record that it took place.",
		Why:          "A communication plan (7.4) shows intent; an auditor asks for proof that the communication happened as planned, such as the dated message, briefing or publication. A plan with no record is a promise the AIMS cannot show it kept.",
		Fix:          "Add `records` to the `kind: Communication`, each with `date`, a `note` on what was communicated and the `evidence` id of the message, attendance list or publication (e.g. `- {date: 2026-06-23, note: CEO message with the updated AI policy, evidence: ev-awareness-training-2026}`). An override is not honest.",
		Configurable: true,
	},
}

func (a *analyzer) checkCommunications() {
	if len(a.m.Communications) == 0 && !a.m.HasInvalid("Communication") {
		a.report(communicationRule.NoCommunication, diag.Pos{}, "no Communication documents: say what is communicated about the AIMS, when, with whom and by whom (7.4)")
	}
	for _, c := range a.m.Communications {
		if len(c.Records) == 0 && c.Status != "retired" {
			a.report(communicationRule.CommunicationNoRecord, pos(c.Doc, "frequency"), "communication %s has no record that it took place", c.ID)
		}
	}
}
