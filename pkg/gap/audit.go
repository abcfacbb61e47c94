package gap

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/catalog"
	"github.com/aims-dev/aims/pkg/diag"
)

// auditRule are the rules about internal audits; each sits beside the check that
// applies it and is registered by being a field here.
var auditRule = struct {
	NoRecentAudit               *diag.Rule
	ProgrammeIncomplete         *diag.Rule
	AuditorIndependence         *diag.Rule
	FindingWithoutNonconformity *diag.Rule
	PlannedAuditOverdue         *diag.Rule
	AuditorNotIndependent       *diag.Rule
}{
	NoRecentAudit: &diag.Rule{
		ID: "AIMS-G060", Severity: diag.Error, Refs: []string{"9.2.1"},
		Title: "No recent internal audit", Description: "An internal audit must be completed within the audit cycle (settings.audit_cycle_months).",
		Why:          "Clause 9.2.1 requires internal audits at planned intervals; no completed internal audit within the cycle is one of the most common reasons a certification audit cannot proceed, because the AIMS has not checked itself.",
		Fix:          "Run the internal audit and record it as a `kind: Audit` with `type: internal`, `state: completed`, `date` within `settings.audit_cycle_months` (default 12), `scope` (clause and control ids), `auditor` and `findings`. External or certification audits do not count. An override is not honest; change `settings.audit_cycle_months` only if your documented audit programme really uses a different interval.",
		Configurable: true,
	},
	ProgrammeIncomplete: &diag.Rule{
		ID: "AIMS-G061", Severity: diag.Error, Refs: []string{"9.2.2"},
		Title: "Audit programme incomplete", Description: "Audits completed within the programme period must together cover every clause 4-10 and every Annex A area (A.2-A.10) that has an applicable control in the Statement of Applicability.",
		Why:          "Clause 9.2.2 expects an audit programme that, over its period, covers the whole management system, and the controls you declared applicable are part of it; clauses or Annex A areas left out of every audit are areas nobody has independently checked, which an auditor will note.",
		Fix:          "Plan and complete internal audits whose `scope` includes the missing clauses and areas (e.g. `scope: [\"7.2\", \"8.3\", \"10.2\", A.6, A.10.2]`; any sub-clause counts for its clause and any control for its area), or add them to the next audit. `settings.audit_programme_months` (default 36) sets the period; an override is not honest while clauses or areas are genuinely unaudited.",
		Configurable: true,
	},
	AuditorIndependence: &diag.Rule{
		ID: "AIMS-G062", Severity: diag.Warning, Refs: []string{"9.2.2"},
		Title: "Auditor independence not shown", Description: "An audit completed within the programme period must record an auditor independent of the area audited.",
		Why:          "Clause 9.2.2 requires auditors to be chosen so the audit is objective and impartial; auditors of certification bodies check that nobody audited their own work.",
		Fix:          "Record the auditor under `auditor` in the `kind: Audit` with `name` and `person` (a Person id: aims then derives independence from the documents that person and their roles own, see AIMS-G096), or `organization` and `independent: true` for an external auditor once you have confirmed they do not work in the area audited. `independent: false` is shown as this warning. If that was not possible, an override is the honest answer, e.g. `severity: info` with `reason: \"First audit run by the AIMS manager; an external auditor is booked for Q2.\"`.",
		Configurable: true,
	},
	FindingWithoutNonconformity: &diag.Rule{
		ID: "AIMS-G063", Severity: diag.Error, Refs: []string{"10.2"},
		Title: "Audit finding without nonconformity", Description: "A major or minor audit finding must raise a Nonconformity.",
		Why:          "Clause 10.2 requires nonconformities to be acted on; a major or minor audit finding that never became a tracked nonconformity has no root cause, corrective action or closure an auditor can follow.",
		Fix:          "Create a `kind: Nonconformity` (`source: internal_audit`, `audit: <audit id>`, `detected`, `requirements`, `state: open`) and link it from the finding with `nonconformity: <its id>`. If the finding is really an improvement suggestion, change its `type` to `observation` or `opportunity`. Do not override.",
		Configurable: true,
	},
	PlannedAuditOverdue: &diag.Rule{
		ID: "AIMS-G067", Severity: diag.Warning, Refs: []string{"9.2.2"},
		Title: "Planned audit overdue", Description: "An audit still marked planned after its date: record it as completed, or re-plan it.",
		Why:          "An audit programme (9.2.2) that says an audit is still planned after its date leaves the auditor unsure whether it happened; either the record is out of date or the programme slipped.",
		Fix:          "If the audit took place, set `state: completed` on the `kind: Audit` and add `auditor`, `findings` and `report`; if it did not, move `date` to the new planned date. An override is not needed: correcting the record is always possible.",
		Configurable: true,
	},
	AuditorNotIndependent: &diag.Rule{
		ID: "AIMS-G096", Severity: diag.Error, Refs: []string{"9.2.2"},
		Title: "Auditor audits their own area", Description: "An internal auditor owns, personally or through a role they hold, documents in the area the audit covers.",
		Why:          "Clause 9.2.2 requires auditors to be selected so the audit is objective and impartial. An auditor who owns the documents of an area audited, or holds the role that owns them, audits their own work; a certification auditor will not accept that audit for those clauses, whatever `independent` says.",
		Fix:          "Have the area audited by someone who owns none of its documents (set `auditor.person` to them), narrow the audit's `scope` to areas the auditor does not own and audit the rest separately, or move document ownership if it is recorded wrongly. aims derives independence from `owner` fields: every document (other than audit records) owned by the auditor or one of their roles, and every requirement it supports, inside a clause or Annex A area of `scope`. Do not override: record a different auditor.",
		Configurable: true,
	},
}

// checkAuditors judges auditor independence (9.2.2) from the records: the
// documents an auditor owns, directly or through a role they hold, and
// what those documents support. It runs after linkDocuments. An auditor
// recorded only by organisation is judged by the declared flag.
func (a *analyzer) checkAuditors() {
	p := a.people()
	for _, au := range a.m.Audits {
		if au.State != "completed" || a.before(au.Date, a.monthsAgo(a.programme)) {
			continue
		}
		declared := au.Auditor != nil && au.Auditor.Independent != nil
		person := ""
		if au.Auditor != nil && p.persons[au.Auditor.Person] != nil {
			person = au.Auditor.Person
		}
		if person == "" {
			if !declared || !*au.Auditor.Independent {
				a.report(auditRule.AuditorIndependence, pos(au.Doc, "auditor"), "audit %s does not record an independent auditor", au.ID)
			}
			continue
		}
		if own, clauses := a.ownedInScope(person, au.Scope); len(own) > 0 {
			at := pos(au.Doc, "auditor", "person")
			claim := ""
			if declared && *au.Auditor.Independent {
				at, claim = pos(au.Doc, "auditor", "independent"), " although it is recorded as independent"
			}
			a.report(auditRule.AuditorNotIndependent, at, "audit %s is not independent%s: its auditor %s owns %s in the audited area (%s)", au.ID, claim, person, strings.Join(own, ", "), strings.Join(clauses, ", "))
			continue
		}
		if declared && !*au.Auditor.Independent {
			a.report(auditRule.AuditorIndependence, pos(au.Doc, "auditor", "independent"), "audit %s does not record an independent auditor", au.ID)
		}
	}
}

// ownedBy lists the documents person owns directly or through a role,
// audits left out (an audit's own record is not the area it audits), in
// file order. One scan per person, not per audit: a large AIMS has
// thousands of audits and tens of thousands of documents.
func (a *analyzer) ownedBy(person string) []aims.Doc {
	if docs, ok := a.owned[person]; ok {
		return docs
	}
	p := a.people()
	var docs []aims.Doc
	for _, doc := range a.m.All {
		if m := doc.Header(); m.Kind != "Audit" && m.ID != "" && p.same(person, m.Owner) {
			docs = append(docs, doc)
		}
	}
	if a.owned == nil {
		a.owned = map[string][]aims.Doc{}
	}
	a.owned[person] = docs
	return docs
}

// ownedInScope lists the documents person owns (directly or through a
// role) that support a requirement inside scope, and those requirements.
func (a *analyzer) ownedInScope(person string, scope []string) (docs, clauses []string) {
	const most = 3
	seen := map[string]bool{}
	for _, doc := range a.ownedBy(person) {
		m := doc.Header()
		hit := false
		for _, id := range a.refsOf(&diag.Rule{}, doc) {
			if slices.ContainsFunc(scope, func(s string) bool { return id == s || strings.HasPrefix(id, s+".") }) {
				hit = true
				if !seen[id] {
					seen[id] = true
					clauses = append(clauses, id)
				}
			}
		}
		if hit {
			docs = append(docs, m.Kind+" "+m.ID)
		}
	}
	if len(docs) > most {
		docs = append(docs[:most], fmt.Sprintf("%d more", len(docs)-most))
	}
	slices.SortFunc(clauses, compareIDs)
	if len(clauses) > 2*most {
		clauses = append(clauses[:2*most], fmt.Sprintf("%d more", len(clauses)-2*most))
	}
	return docs, clauses
}

// compareIDs orders requirement ids as the standard does: clauses by
// number (4.1 before 10.1), then Annex A.
func compareIDs(x, y string) int {
	ax, ay := strings.HasPrefix(x, "A."), strings.HasPrefix(y, "A.")
	if ax != ay {
		if ax {
			return 1
		}
		return -1
	}
	xs, ys := strings.Split(strings.TrimPrefix(x, "A."), "."), strings.Split(strings.TrimPrefix(y, "A."), ".")
	for i := 0; i < len(xs) && i < len(ys); i++ {
		xi, _ := strconv.Atoi(xs[i])
		yi, _ := strconv.Atoi(ys[i])
		if c := cmp.Compare(xi, yi); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(xs), len(ys))
}

// before reports whether date s is before t (false for an unparseable date).
func (a *analyzer) before(s string, t time.Time) bool {
	d, ok := parseDate(s)
	return ok && d.Before(t)
}

func (a *analyzer) checkAudits() {
	var internal []*aims.Audit
	for _, au := range a.m.Audits {
		if au.Type == "internal" && au.State == "completed" {
			internal = append(internal, au)
		}
		if au.State == "completed" && !a.before(au.Date, a.monthsAgo(a.programme)) {
			for i, f := range au.Findings {
				if (f.Type == "major" || f.Type == "minor") && f.Nonconformity == "" {
					a.report(auditRule.FindingWithoutNonconformity, pos(au.Doc, "findings", i), "%s finding %s of audit %s raises no nonconformity", f.Type, cmp.Or(f.ID, "#"+strconv.Itoa(i+1)), au.ID)
				}
			}
		}
	}
	for _, au := range a.m.Audits {
		if au.State == "planned" && a.past(au.Date) {
			a.report(auditRule.PlannedAuditOverdue, pos(au.Doc, "date"), "audit %s was planned for %s and is not recorded as completed", au.ID, au.Date)
		}
	}
	cycleStart := a.monthsAgo(a.auditCycle)
	recent := slices.ContainsFunc(internal, func(au *aims.Audit) bool { return !a.before(au.Date, cycleStart) && !a.after(au.Date) })
	if !recent {
		last := "no internal audit has been completed"
		if len(internal) > 0 {
			latest := slices.MaxFunc(internal, func(x, y *aims.Audit) int { return strings.Compare(x.Date, y.Date) })
			last = "the last internal audit was on " + latest.Date
		}
		a.report(auditRule.NoRecentAudit, diag.Pos{}, "no internal audit completed in the last %d months (%s)", a.auditCycle, last)
	}

	// Coverage of clauses 4-10 by audits completed within the programme.
	progStart := a.monthsAgo(a.programme)
	covered := map[string]bool{}
	for _, au := range internal {
		if a.before(au.Date, progStart) {
			continue
		}
		for _, s := range au.Scope {
			covered[clauseGroup(s)] = true
		}
	}
	var missing []string
	for _, g := range []string{"4", "5", "6", "7", "8", "9", "10"} {
		if !covered[g] {
			missing = append(missing, g)
		}
	}
	if len(internal) > 0 && len(missing) > 0 {
		a.report(auditRule.ProgrammeIncomplete, diag.Pos{}, "internal audits of the last %d months do not cover clause%s %s", a.programme, pluralPlain(len(missing)), strings.Join(missing, ", "))
	}
	// Every Annex A area with a control the SoA declares applicable.
	var areas []string
	for _, e := range a.cat.Of(catalog.Group) {
		if !strings.HasPrefix(e.ID, "A.") || covered[e.ID] {
			continue
		}
		if slices.ContainsFunc(a.cat.Children(e.ID), func(c catalog.Entry) bool { return a.applicable(c.ID) }) {
			areas = append(areas, e.ID)
		}
	}
	if len(internal) > 0 && len(areas) > 0 {
		a.report(auditRule.ProgrammeIncomplete, diag.Pos{}, "internal audits of the last %d months do not cover Annex A area%s %s, which the Statement of Applicability declares applicable", a.programme, pluralPlain(len(areas)), strings.Join(areas, ", "))
	}
}

// applicable reports whether the SoA declares control id applicable.
func (a *analyzer) applicable(id string) bool {
	for _, s := range a.m.SoAs {
		for _, r := range s.Controls {
			if r.Control == id && r.Applicable {
				return true
			}
		}
	}
	return false
}

// after reports whether date s is after today (a future audit date).
func (a *analyzer) after(s string) bool { return after(a.now, s) }

// clauseGroup maps "6.1.2" or "6" to "6", and an Annex A control or area
// ("A.6.2.4", "A.6") to its area "A.6".
func clauseGroup(id string) string {
	if rest, ok := strings.CutPrefix(id, "A."); ok {
		g, _, _ := strings.Cut(rest, ".")
		return "A." + g
	}
	g, _, _ := strings.Cut(id, ".")
	return g
}

func pluralPlain(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
