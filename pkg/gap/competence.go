package gap

import (
	"slices"
	"strings"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/diag"
)

// competenceRule are the rules about competence (7.2); each sits beside the
// check that applies it and is registered by being a field here.
var competenceRule = struct {
	RoleWithoutCompetence *diag.Rule
	CompetenceIncomplete  *diag.Rule
}{
	RoleWithoutCompetence: &diag.Rule{
		ID: "AIMS-G084", Severity: diag.Error, Refs: []string{"7.2", "A.4.6"},
		Title: "Role holder's competence not recorded", Description: "Every person holding an AIMS role needs a Competence record, for the role or for the person, stating the competence required and what shows they have it.",
		Why:          "Clause 7.2 requires the organisation to determine the competence needed by the people doing work that affects AI performance, to ensure they are competent, and to retain documented information as evidence; control A.4.6 asks the same of the people in AI roles. An auditor samples role holders and asks for the record: a role whose holder has none is unverified competence.",
		Fix:          "Add a `kind: Competence` with `subject:` the role id (covers every holder) or the person id, `required` (the competence the role needs) and `records` (each `activity`, `completed`, and the `evidence` id of the certificate or training record). Competence still missing goes under `gaps` with an `action`. An override is not honest.",
		Configurable: true,
	},
	CompetenceIncomplete: &diag.Rule{
		ID: "AIMS-G085", Severity: diag.Warning, Refs: []string{"7.2", "A.4.6"},
		Title: "Competence record incomplete", Description: "A Competence record states no required competence or no records, or lists a competence gap without an action.",
		Why:          "Clause 7.2 asks for the needed competence to be determined, for evidence that people have it, and for actions where they do not: a record without the required competence cannot be judged, one without records proves nothing, and a gap without an action is a known shortfall left alone.",
		Fix:          "Fill in `required` (what the role needs), add `records` (`activity`, `completed`, `evidence`) and give every entry of `gaps` an `action`, `due` and `state`. An override is not honest.",
		Configurable: true,
	},
}

// competent reports whether a Competence record has what 7.2 asks: the
// competence required and at least one record of it.
func competent(c *aims.Competence) bool { return len(c.Required) > 0 && len(c.Records) > 0 }

func (a *analyzer) checkCompetence() {
	covered := map[string]bool{} // role or person ids with a complete record
	for _, c := range a.m.Competences {
		if competent(c) && c.Subject != "" {
			covered[c.Subject] = true
		}
		var missing []string
		key := "records" // where the finding points: the empty list, or the document
		if len(c.Required) == 0 {
			missing, key = append(missing, "no required competence"), "required"
		}
		if len(c.Records) == 0 {
			missing = append(missing, "no records")
		}
		if len(missing) > 0 {
			a.report(competenceRule.CompetenceIncomplete, pos(c.Doc, key), "competence %s has %s", c.ID, strings.Join(missing, " and "))
		}
		for i, g := range c.Gaps {
			if strings.TrimSpace(g.Action) == "" {
				a.report(competenceRule.CompetenceIncomplete, pos(c.Doc, "gaps", i, "gap"), "competence gap %q of %s has no action", g.Gap, c.ID)
			}
		}
	}
	// A Competence or Person that fails validation may hold the record: its
	// schema error says what is wrong.
	if a.m.HasInvalid("Competence") || a.m.HasInvalid("Person") {
		return
	}
	for _, r := range a.m.Roles {
		if covered[r.ID] || r.Status == "retired" {
			continue
		}
		var without []string
		for _, p := range a.m.People {
			if slices.Contains(p.Roles, r.ID) && !covered[p.ID] {
				without = append(without, p.ID)
			}
		}
		if len(without) > 0 {
			a.report(competenceRule.RoleWithoutCompetence, pos(r.Doc), "role %s has no competence record for its holder%s %s", r.ID, pluralPlain(len(without)), strings.Join(without, ", "))
		}
	}
}
