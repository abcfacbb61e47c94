package gap

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/diag"
)

// documentRule are the rules about the documents every AIMS needs and their
// approval and review; each sits beside the check that applies it and is
// registered by being a field here.
var documentRule = struct {
	NoScope            *diag.Rule
	NoAIPolicy         *diag.Rule
	NoRoles            *diag.Rule
	ReviewOverdue      *diag.Rule
	ApprovalIncomplete *diag.Rule
	TemplateTODOs      *diag.Rule
	NoRiskCriteria     *diag.Rule
	RoleHeldByNobody   *diag.Rule
}{
	NoScope: &diag.Rule{
		ID: "AIMS-G001", Severity: diag.Error, Refs: []string{"4.3"},
		Title: "No approved scope", Description: "The AIMS needs an approved Scope document stating its boundaries and what is in and out.",
		Why:          "The scope is mandatory documented information under 4.3 and the first thing a certification auditor reads: it fixes which AI systems, units and sites the certificate will cover, so without an approved scope there is nothing to certify against. A draft or unapproved scope suggests top management has not agreed the boundaries.",
		Fix:          "Add a `kind: Scope` document with `summary`, `boundaries`, `systems.included` (AISystem ids), `systems.excluded` and `units.excluded` entries each with a `justification`, plus `issues` and `interested_parties` for 4.1/4.2. Approve it with `approved_by: ceo` (a Person or Role id), `approved_on: 2026-01-15` and `status: approved` (not `draft`). Overriding this is not honest: no scope means no certifiable AIMS.",
		Configurable: true,
	},
	NoAIPolicy: &diag.Rule{
		ID: "AIMS-G002", Severity: diag.Error, Refs: []string{"5.2", "A.2.2"},
		Title: "No approved AI policy", Description: "A Policy of type ai_policy must be approved (approved_by, approved_on, status approved).",
		Why:          "An approved AI policy is mandatory documented information under 5.2 and control A.2.2, and auditors treat its approval by top management as the main evidence of leadership commitment (5.1). A missing or unsigned policy is typically raised as a major nonconformity.",
		Fix:          "Add a Markdown policy whose front matter has `kind: Policy`, `type: ai_policy`, `owner`, `approved_by` (a Person or Role id of top management), `approved_on: YYYY-MM-DD` and `status: approved`, and list who it was shared with in `communicated_to`. A topic policy (`type: topic`) does not count. Do not override: the policy is required by the standard itself.",
		Configurable: true,
	},
	NoRoles: &diag.Rule{
		ID: "AIMS-G003", Severity: diag.Error, Refs: []string{"5.3", "A.3.2"},
		Title: "No AIMS roles", Description: "Roles with responsibilities must be defined, each held by a person.",
		Why:          "Clause 5.3 and control A.3.2 expect AIMS responsibilities and authorities to be assigned and communicated; an auditor will ask who is accountable for the AIMS conforming and who reports its performance to top management. With no roles, no record can show that anyone owns anything.",
		Fix:          "Add `kind: Role` documents with `responsibilities` (a list of plain sentences) and optionally `authorities` and `reports_to`, e.g. `id: aims-manager`. Give each role to a `kind: Person` through its `roles: [aims-manager]`. An override is not honest here: roles are the basis of every `owner` and `approver` in the AIMS.",
		Configurable: true,
	},
	ReviewOverdue: &diag.Rule{
		ID: "AIMS-G004", Severity: diag.Warning, Refs: []string{"7.5.2"},
		Title: "Document overdue for review", Description: "A document's next_review date has passed.",
		Why:          "Documented information must be kept suitable and up to date (7.5.2); a document past its own review date tells the auditor the review process you defined is not followed, and they may question whether its content still reflects practice.",
		Fix:          "Review the document, then move `next_review` forward (e.g. `next_review: 2027-06-30`) and, if the content changed, bump `version` and record a fresh `approved_by`/`approved_on`; set `status: retired` if it is no longer in use. An override is only honest briefly, e.g. `severity: info` with a reason naming the scheduled review meeting; it does not make the overdue document count as support again.",
		Configurable: true,
	},
	ApprovalIncomplete: &diag.Rule{
		ID: "AIMS-G005", Severity: diag.Error, Refs: []string{"7.5.2"},
		Title: "Approval incomplete", Description: "A document marked approved lacks approved_by or approved_on.",
		Why:          "Approval is part of controlling documented information (7.5.2): the auditor will ask who approved a document and when, and a document marked approved without both facts cannot show that. It also means the document does not count as support for its clause.",
		Fix:          "Add the missing `approved_by` (a Person or Role id) and `approved_on: YYYY-MM-DD` to the document, or set `status: draft` if it has not actually been approved yet. An override does not make the document count; only use one (with a reason) for a document kind where your organisation deliberately does not record approval.",
		Configurable: true,
	},
	TemplateTODOs: &diag.Rule{
		ID: "AIMS-G006", Severity: diag.Info, Refs: []string{"7.5.2"},
		Title: "Template TODOs remain", Description: "A document still holds TODO placeholders; it evidences nothing until they are replaced.",
		Why:          "A document still holding template placeholders shows the AIMS has been generated, not operated; an auditor will not accept it as evidence for its clause (7.5.2), and aims does not count it either.",
		Fix:          "Replace every `TODO` in the YAML values or Markdown body with the real content, or delete the sentence if it does not apply. aims matches the literal text `TODO` anywhere in the document, so reword it if you use that word legitimately. Overriding the rule only hides the message: the document still does not count as support while the placeholder remains.",
		Configurable: true,
	},
	NoRiskCriteria: &diag.Rule{
		ID: "AIMS-G007", Severity: diag.Error, Refs: []string{"6.1.1", "6.1.2"},
		Title: "No risk criteria", Description: "An approved RiskCriteria document must define the scales and the acceptance threshold.",
		Why:          "Clauses 6.1.1 and 6.1.2 require defined criteria for judging AI risks, including what level is acceptable, so that assessments are consistent and comparable; without approved criteria every risk score and every acceptance decision lacks a basis the auditor can check.",
		Fix:          "Add a `kind: RiskCriteria` document with `likelihood` and `impact` scales (lists of `level`, `name`, `description`, e.g. `level: 1`, `name: rare`) and an integer `acceptance_threshold` (e.g. `8`, compared with likelihood x impact), then approve it with `approved_by`, `approved_on` and `status: approved`. Do not override: risk criteria are required documented information.",
		Configurable: true,
	},
	RoleHeldByNobody: &diag.Rule{
		ID: "AIMS-G008", Severity: diag.Warning, Refs: []string{"5.3"},
		Title: "Role held by nobody", Description: "A role that no person holds cannot carry its responsibilities.",
		Why:          "A role that nobody holds means its responsibilities are not actually allocated (5.3); an auditor sampling a responsibility will find no one accountable for it.",
		Fix:          "Add the role id to the `roles` list of the `kind: Person` who holds it (e.g. `roles: [aims-manager]`), or retire the role (`status: retired`) and move its responsibilities to another one. An override with a reason is honest only for a short vacancy, e.g. `severity: info` with `reason: \"Post vacant since the DPO left; recruitment closes in March.\"`.",
		Configurable: true,
	},
}

// approved reports whether a document carries a complete approval.
func approved(m *aims.Meta) bool {
	return m.ApprovedBy != "" && m.ApprovedOn != "" && m.Status != "draft" && m.Status != "retired"
}

// docSupport judges a document as evidence: it counts only when it has no
// template TODOs, is approved where approval is needed, and is not overdue
// for review.
func (a *analyzer) docSupport(doc aims.Doc, needApproval bool) Support {
	m := doc.Header()
	s := Support{Kind: m.Kind, ID: m.ID, Title: m.Name(), Valid: true, Date: recordDate(doc), ApprovedBy: m.ApprovedBy, ApprovedOn: m.ApprovedOn}
	if m.Doc != nil {
		s.File, s.Line = m.Doc.File, m.Doc.Start().Line
	}
	var notes []string
	if a.hasTODO(m.Doc) {
		notes = append(notes, "still holds template TODOs")
	}
	if needApproval && !approved(m) {
		notes = append(notes, "not approved")
	}
	if m.NextReview != "" && a.past(m.NextReview) {
		notes = append(notes, "review overdue since "+m.NextReview)
	}
	if len(notes) > 0 {
		s.Valid = false
		s.Note = strings.Join(notes, "; ")
	}
	return s
}

// DocumentReview is a document past its next_review date.
type DocumentReview struct {
	Kind       string `json:"kind"`
	ID         string `json:"id,omitempty"`
	File       string `json:"file"`
	NextReview string `json:"next_review"`
}

// ReviewOverdue reports whether the document with id in file is past its
// next_review date.
func (r *Result) ReviewOverdue(file, id string) bool {
	return slices.ContainsFunc(r.DocumentsOverdue, func(d DocumentReview) bool { return d.File == file && d.ID == id })
}

// reviewOverdue: a document is due for review once its next_review date
// has passed, unless it is retired; a risk unless it is closed, whatever
// its document status (G034 judges risks, G004 every other document).
func (a *analyzer) reviewOverdue(doc aims.Doc) bool {
	m := doc.Header()
	if m.Doc == nil || m.NextReview == "" || !a.past(m.NextReview) {
		return false
	}
	if r, ok := doc.(*aims.Risk); ok {
		return r.State != "closed"
	}
	return m.Status != "retired"
}

func (a *analyzer) checkDocuments() {
	for _, doc := range a.m.All {
		m := doc.Header()
		if m.Status == "approved" && (m.ApprovedBy == "" || m.ApprovedOn == "") {
			missing := "approved_by"
			if m.ApprovedBy != "" {
				missing = "approved_on"
			}
			a.report(documentRule.ApprovalIncomplete, pos(m.Doc, "status"), "%s %s is marked approved but has no %s", m.Kind, m.Name(), missing)
		}
		// Risks have their own, stricter review rule (G034).
		if a.reviewOverdue(doc) {
			a.overdueDocs = append(a.overdueDocs, DocumentReview{Kind: m.Kind, ID: m.ID, File: m.Doc.File, NextReview: m.NextReview})
			if m.Kind != "Risk" {
				a.report(documentRule.ReviewOverdue, pos(m.Doc, "next_review"), "%s %s was due for review on %s", m.Kind, m.Name(), m.NextReview)
			}
		}
		if a.hasTODO(m.Doc) {
			a.report(documentRule.TemplateTODOs, pos(m.Doc), "%s %s still holds TODO placeholders; it evidences nothing until they are replaced", m.Kind, cmp.Or(m.ID, m.Name()))
		}
	}

	if len(a.m.Scopes) == 0 && !a.m.HasInvalid("Scope") {
		a.report(documentRule.NoScope, diag.Pos{}, "no Scope document: the AIMS scope (4.3) must be documented")
	}
	for _, s := range a.m.Scopes {
		if !approved(&s.Meta) {
			a.report(documentRule.NoScope, pos(s.Doc), "scope %s is not approved (set approved_by and approved_on)", s.ID)
		}
	}

	var aiPolicies []*aims.Policy
	for _, p := range a.m.Policies {
		if p.Type == "ai_policy" {
			aiPolicies = append(aiPolicies, p)
		}
	}
	if len(aiPolicies) == 0 && !a.m.HasInvalid("Policy") {
		a.report(documentRule.NoAIPolicy, diag.Pos{}, "no AI policy: add a Policy with type ai_policy (5.2)")
	}
	for _, p := range aiPolicies {
		if !approved(&p.Meta) {
			a.report(documentRule.NoAIPolicy, pos(p.Doc), "AI policy %s is not approved by top management (set approved_by and approved_on)", p.ID)
		}
	}

	if len(a.m.Roles) == 0 && !a.m.HasInvalid("Role") {
		a.report(documentRule.NoRoles, diag.Pos{}, "no Role documents: define AIMS roles with their responsibilities (5.3)")
	}
	held := map[string]bool{}
	for _, p := range a.m.People {
		for _, r := range p.Roles {
			held[r] = true
		}
	}
	// A Person that fails validation may hold the role: its schema error
	// says what is wrong, and "held by nobody" would be a false finding.
	for _, r := range a.m.Roles {
		if !held[r.ID] && !a.m.HasInvalid("Person") {
			a.report(documentRule.RoleHeldByNobody, pos(r.Doc), "role %s is held by nobody: add it to a Person's roles", r.ID)
		}
	}

	if len(a.m.RiskCriteria) == 0 && !a.m.HasInvalid("RiskCriteria") {
		a.report(documentRule.NoRiskCriteria, diag.Pos{}, "no RiskCriteria document: define likelihood and impact scales and the acceptance threshold (6.1.1)")
	}
	for _, c := range a.m.RiskCriteria {
		if !approved(&c.Meta) {
			a.report(documentRule.NoRiskCriteria, pos(c.Doc), "risk criteria %s are not approved", c.ID)
		}
	}
}

// linkDocuments records what each AIMS document evidences by itself, where
// the standard asks for that document or record.
func (a *analyzer) linkDocuments() {
	m := a.m
	for _, s := range m.Scopes {
		sup := a.docSupport(s, true)
		a.supports(sup, "4.3")
		a.supports(when(sup, len(s.Issues.Internal)+len(s.Issues.External) > 0 || len(s.Roles) > 0, "lists no internal or external issues"), "4.1")
		a.supports(when(sup, len(s.InterestedParties) > 0, "lists no interested parties"), "4.2")
	}
	for _, p := range m.Policies {
		sup := a.docSupport(p, true)
		if strings.TrimSpace(p.Body) == "" {
			sup = when(sup, false, "has no policy text")
		}
		if p.Type == "ai_policy" {
			a.supports(sup, "5.2", "A.2.2", "5.1")
			a.supports(when(sup, len(p.Related) > 0, "names no related policies"), "A.2.3")
			a.supports(when(sup, p.NextReview != "", "has no next review date"), "A.2.4")
		}
		a.supports(sup, p.Satisfies...)
	}
	for _, r := range m.Roles {
		held := false
		for _, p := range m.People {
			held = held || slices.Contains(p.Roles, r.ID)
		}
		a.supports(when(a.docSupport(r, false), held, "held by nobody"), "5.3", "A.3.2")
	}
	for _, c := range m.RiskCriteria {
		a.supports(a.docSupport(c, true), "6.1.1", "6.1.2")
	}
	for _, r := range m.Risks {
		sup := a.docSupport(r, false)
		a.supports(when(sup, r.Assessed != "" || r.Identified != "", "has no assessment date"), "6.1.2", "8.2")
		if r.Treatment != nil {
			a.supports(sup, "6.1.3", "8.3")
		}
	}
	for _, s := range m.SoAs {
		a.supports(a.docSupport(s, true), "6.1.3")
	}
	for _, ia := range m.ImpactAssessments {
		sup := a.docSupport(ia, true)
		a.supports(sup, "6.1.4", "8.4", "A.5.2", "A.5.3")
		a.supports(when(sup, len(ia.Individuals) > 0, "assesses no impacts on individuals or groups"), "A.5.4")
		a.supports(when(sup, len(ia.Societal) > 0, "assesses no societal impacts"), "A.5.5")
	}
	for _, o := range m.Objectives {
		sup := a.docSupport(o, false)
		a.supports(sup, "6.2")
		a.supports(when(sup, len(o.Measurements) > 0, "has no measurements"), "9.1")
	}
	for _, c := range m.Changes {
		a.supports(a.docSupport(c, false), "6.3")
	}
	for _, c := range m.Competences {
		sup := a.docSupport(c, false)
		a.supports(when(sup, len(c.Records) > 0, "has no competence records"), "7.2", "A.4.6")
	}
	for _, c := range m.Communications {
		a.supports(when(a.docSupport(c, false), len(c.Records) > 0, "has no record that it took place"), "7.4")
	}
	for _, aw := range m.Awareness {
		sup := when(a.docSupport(aw, false), len(aw.Records) > 0, "has no record that it took place")
		a.supports(when(sup, len(a.awarenessMissing(aw.Covers)) == 0, "does not cover the policy, contribution and nonconformity"), "7.3")
	}
	for _, p := range m.Processes {
		sup := a.docSupport(p, false)
		a.supports(when(sup, len(p.Criteria) > 0 && len(p.Records) > 0, "has no criteria or no records"), "8.1")
	}
	for _, s := range m.Systems {
		sup := a.docSupport(s, false)
		a.supports(sup, "A.4.2", "A.9.4")
		a.supports(when(sup, len(s.Datasets) > 0, "lists no datasets"), "A.4.3")
		a.supports(when(sup, s.Model != nil && s.Model.Type != "" && len(s.Inputs) > 0 && len(s.Outputs) > 0, "model card lacks model type, inputs or outputs"), "A.6.2.7")
		a.supports(when(sup, s.Monitoring != nil && len(s.Monitoring.Metrics) > 0, "defines no monitoring metrics"), "A.6.2.6")
		a.supports(when(sup, s.Logging != nil && len(s.Logging.Events) > 0, "defines no logged events"), "A.6.2.8")
		if s.Stage == "deployed" {
			a.supports(when(sup, s.Deployment != nil, "deployed without a recorded approval"), "A.6.2.5")
		}
	}
	for _, d := range m.Datasets {
		sup := a.docSupport(d, false)
		a.supports(sup, "A.7.2", "A.4.3")
		a.supports(when(sup, d.Acquisition != nil, "records no acquisition"), "A.7.3")
		a.supports(when(sup, d.Quality != nil && len(d.Quality.Checks) > 0, "records no quality checks"), "A.7.4")
		a.supports(when(sup, d.Provenance != nil && len(d.Provenance.Lineage) > 0, "records no provenance"), "A.7.5")
		a.supports(when(sup, len(d.Preparation) > 0, "records no preparation steps"), "A.7.6")
	}
	for _, s := range m.Suppliers {
		sup := a.docSupport(s, false)
		dd := s.DueDiligence
		a.supports(when(sup, dd != nil && dd.Result != "rejected" && !a.diligenceOverdue(s), "has no current positive due diligence"), "A.10.3")
		a.supports(when(sup, len(s.Responsibilities) > 0, "splits no responsibilities"), "A.10.2")
	}
	for _, au := range m.Audits {
		if au.State != "completed" || au.Type != "internal" {
			continue
		}
		sup := a.docSupport(au, false)
		a.supports(when(sup, !a.before(au.Date, a.monthsAgo(a.auditCycle)), fmt.Sprintf("older than the %d-month audit cycle", a.auditCycle)), "9.2.1")
		a.supports(sup, "9.2.2")
	}
	for i, r := range m.Reviews {
		sup := when(a.docSupport(r, false), !a.before(r.Date, a.monthsAgo(a.reviewCycle)), fmt.Sprintf("older than the %d-month review cycle", a.reviewCycle))
		a.supports(sup, "9.3.1")
		a.supports(when(sup, len(a.reviews[i].Missing) == 0, "does not cover every required input"), "9.3.2")
		a.supports(when(sup, len(r.Decisions) > 0 && len(r.Actions) > 0, "records no decisions or no actions"), "9.3.3")
	}
	for i, n := range m.Nonconformities {
		sup := a.docSupport(n, false)
		a.supports(sup, "10.2")
		if a.ncs[i].Closed() {
			a.supports(sup, "10.1")
		}
	}
	// The AIMS itself: documents kept as code with versions and approvals,
	// and (when in git) controlled by version control.
	if len(m.All) > 0 {
		self := Support{Kind: "AIMS", Title: fmt.Sprintf("%d AIMS documents kept as code", len(m.All)), Valid: true}
		for _, d := range m.All {
			if a.hasTODO(d.Header().Doc) {
				self = when(self, false, "documents still hold template TODOs")
				break
			}
		}
		a.supports(self, "7.5.1", "7.5.2")
		vc := Support{Kind: "AIMS", Title: "version control (git history)", Valid: a.opts.Versioned}
		if !a.opts.Versioned {
			vc.Note = "the AIMS is not in a git repository, so document history is not controlled and approvals could not be verified against it"
		}
		a.supports(vc, "7.5.3")
	}
}

// when returns s, invalidated with note unless ok.
func when(s Support, ok bool, note string) Support {
	if ok {
		return s
	}
	s.Valid = false
	if s.Note == "" {
		s.Note = note
	} else {
		s.Note += "; " + note
	}
	return s
}

// recordDate is the date a record speaks for, for the trace in reports: when
// it was assessed, held, detected or measured; "" when it has none.
func recordDate(doc aims.Doc) string {
	switch d := doc.(type) {
	case *aims.Risk:
		return cmp.Or(d.Assessed, d.Identified)
	case *aims.ImpactAssessment:
		return d.Assessed
	case *aims.Audit:
		return d.Date
	case *aims.ManagementReview:
		return d.Date
	case *aims.Nonconformity:
		return d.Detected
	case *aims.Objective:
		latest := ""
		for _, ms := range d.Measurements {
			latest = max(latest, ms.Date)
		}
		return latest
	case *aims.Evidence:
		return d.Collected
	}
	return ""
}
