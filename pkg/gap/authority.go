package gap

import (
	"slices"
	"strings"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/diag"
)

// authorityRule are the rules about who may approve what; each sits beside
// the check that applies it and is registered by being a field here.
var authorityRule = struct {
	ApproverWithoutAuthority *diag.Rule
	SelfApproval             *diag.Rule
}{
	ApproverWithoutAuthority: &diag.Rule{
		ID: "AIMS-G009", Severity: diag.Error, Refs: []string{"5.1", "5.3", "7.5.2"},
		Title: "Approver without authority", Description: "A document is approved by someone whose roles give no authority to approve its kind.",
		Why:          "An approval is only worth what the approver's authority is worth: 5.1 and 5.2 reserve the AI policy and the AIMS itself to top management, and 5.3 asks that authorities be assigned. An auditor who finds the AI policy signed by someone outside top management, or a document signed by someone with no assigned authority for it, treats the document as unapproved.",
		Fix:          "Have the document approved by a holder of a role with the authority (`approved_by: <person or role id>`), or record the authority as data: `top_management: true` on a Role, `approves: [Policy, RiskCriteria]` on a Role, or an entry under `approvals:` in `aims.yaml` (`- {kind: ai_policy, roles: [board]}`). By default the AI policy (`ai_policy`) and the Scope need a `top_management` role. Other kinds are judged once a role or `aims.yaml` names who approves them. An override is not honest: fix the approval or the recorded authority.",
		Configurable: true,
	},
	SelfApproval: &diag.Rule{
		ID: "AIMS-G095", Severity: diag.Error, Refs: []string{"5.1", "7.5.2"},
		Title: "Document approved by its owner", Description: "A document whose approval must be independent is approved by its own owner.",
		Why:          "Separation of duties: an approval is a second person checking the owner's work. An AI policy or scope approved by the person (or a holder of the role) who owns and wrote it has not been checked by anyone, and an auditor will not accept it as top management's commitment (5.1, 5.2).",
		Fix:          "Have someone other than the owner approve the document (`approved_by`), or make the accountable owner a different role (`owner: aims-manager`, approved by `ceo`). Independence is required by default for the AI policy and the Scope; `aims.yaml` `approvals:` entries with `independent: true` require it for other kinds. Do not override: a self-approval is no approval.",
		Configurable: true,
	},
}

// defaultApprovals apply to kinds that aims.yaml does not list: the AI
// policy and the scope are top management's (5.1, 5.2), by someone other
// than their owner.
var defaultApprovals = []aims.Approval{
	{Kind: "ai_policy", TopManagement: true, Independent: true},
	{Kind: "Scope", TopManagement: true, Independent: true},
}

// approvalKind is the key approvals use for a document: its kind, or
// ai_policy for the AI policy.
func approvalKind(doc aims.Doc) string {
	if p, ok := doc.(*aims.Policy); ok && p.Type == "ai_policy" {
		return "ai_policy"
	}
	return doc.Header().Kind
}

// people answers who holds what, from the Person and Role documents.
type people struct {
	persons map[string]*aims.Person
	roles   map[string]*aims.Role
	holders map[string][]string // role id -> person ids
}

func (a *analyzer) people() *people {
	if a.who != nil {
		return a.who
	}
	p := &people{persons: map[string]*aims.Person{}, roles: map[string]*aims.Role{}, holders: map[string][]string{}}
	for _, r := range a.m.Roles {
		p.roles[r.ID] = r
	}
	for _, x := range a.m.People {
		p.persons[x.ID] = x
		for _, r := range x.Roles {
			p.holders[r] = append(p.holders[r], x.ID)
		}
	}
	a.who = p
	return p
}

// known reports whether id names a Person or a Role.
func (p *people) known(id string) bool {
	return p.persons[id] != nil || p.roles[id] != nil
}

// rolesOf are the roles id acts in: a Person's roles, or the Role itself.
func (p *people) rolesOf(id string) []string {
	if x := p.persons[id]; x != nil {
		return x.Roles
	}
	if p.roles[id] != nil {
		return []string{id}
	}
	return nil
}

// same reports whether x and y are the same party: the same id, or a
// person and a role that person holds.
func (p *people) same(x, y string) bool {
	if x == "" || y == "" {
		return false
	}
	if x == y {
		return true
	}
	if px := p.persons[x]; px != nil && slices.Contains(px.Roles, y) {
		return true
	}
	py := p.persons[y]
	return py != nil && slices.Contains(py.Roles, x)
}

// topManagement reports whether id is, or holds, a top-management role.
func (p *people) topManagement(id string) bool {
	return slices.ContainsFunc(p.rolesOf(id), func(r string) bool { return p.roles[r] != nil && p.roles[r].TopManagement })
}

// emails are the addresses that stand for id: a Person's, or those of
// every holder of a Role.
func (p *people) emails(id string) []string {
	var ids []string
	if p.persons[id] != nil {
		ids = []string{id}
	} else {
		ids = p.holders[id]
	}
	var out []string
	for _, i := range ids {
		if e := strings.TrimSpace(p.persons[i].Email); e != "" {
			out = append(out, strings.ToLower(e))
		}
	}
	return out
}

// approvalAuthority returns the authority in force for kind and whether
// approvals of that kind are judged at all: aims.yaml's entry, else the
// default, else an authority made only of the roles that list the kind.
func (a *analyzer) approvalAuthority(kind string) (aims.Approval, bool) {
	if m := a.m.Manifest; m != nil {
		if i := slices.IndexFunc(m.Approvals, func(x aims.Approval) bool { return x.Kind == kind }); i >= 0 {
			return m.Approvals[i], true
		}
	}
	if i := slices.IndexFunc(defaultApprovals, func(x aims.Approval) bool { return x.Kind == kind }); i >= 0 {
		return defaultApprovals[i], true
	}
	listed := slices.ContainsFunc(a.m.Roles, func(r *aims.Role) bool { return slices.Contains(r.Approves, kind) })
	return aims.Approval{Kind: kind}, listed
}

// mayApprove reports whether approver holds a role that may approve kind
// under auth.
func (a *analyzer) mayApprove(approver string, auth aims.Approval) bool {
	p := a.people()
	for _, r := range p.rolesOf(approver) {
		role := p.roles[r]
		switch {
		case slices.Contains(auth.Roles, r):
			return true
		case role == nil:
		case auth.TopManagement && role.TopManagement, slices.Contains(role.Approves, auth.Kind):
			return true
		}
	}
	return false
}

// checkAuthority judges every approval against the recorded authorities.
// It runs after linkDocuments: a finding counts against what the document
// supports as well as the rule's clauses.
func (a *analyzer) checkAuthority() {
	p := a.people()
	for _, doc := range a.m.All {
		m := doc.Header()
		if m.Doc == nil || m.ApprovedBy == "" || !p.known(m.ApprovedBy) {
			continue // unknown ids are link errors
		}
		kind := approvalKind(doc)
		auth, judged := a.approvalAuthority(kind)
		if !judged {
			continue
		}
		if !a.mayApprove(m.ApprovedBy, auth) {
			a.reportAgainst(authorityRule.ApproverWithoutAuthority, a.refsOf(authorityRule.ApproverWithoutAuthority, doc), pos(m.Doc, "approved_by"),
				"%s %s is approved by %s, who holds no role with authority to approve %s (%s)", m.Kind, m.Name(), m.ApprovedBy, kindLabel(kind), a.describeAuthority(auth))
		}
		if auth.Independent && a.people().same(m.ApprovedBy, m.Owner) {
			a.reportAgainst(authorityRule.SelfApproval, a.refsOf(authorityRule.SelfApproval, doc), pos(m.Doc, "approved_by"),
				"%s %s is approved by %s, who is its owner (%s): its approval must be independent", m.Kind, m.Name(), m.ApprovedBy, m.Owner)
		}
	}
}

func kindLabel(kind string) string {
	if kind == "ai_policy" {
		return "the AI policy"
	}
	return kind + " documents"
}

// describeAuthority says who may approve, for messages.
func (a *analyzer) describeAuthority(auth aims.Approval) string {
	var who []string
	if auth.TopManagement {
		who = append(who, "top management")
	}
	for _, r := range a.m.Roles {
		if slices.Contains(auth.Roles, r.ID) || slices.Contains(r.Approves, auth.Kind) {
			who = append(who, "role "+r.ID)
		}
	}
	if len(who) == 0 {
		return "no role has that authority"
	}
	return "may approve: " + strings.Join(who, ", ")
}

// supportedReqs are the requirements the document kind/id is offered for,
// valid or not. The reverse index of support is built on first use, after
// linkDocuments.
func (a *analyzer) supportedReqs(kind, id string) []string {
	if a.supportedBy == nil {
		a.supportedBy = map[[2]string][]string{}
		for req, sups := range a.support {
			for _, s := range sups {
				if k := [2]string{s.Kind, s.ID}; s.ID != "" && !slices.Contains(a.supportedBy[k], req) {
					a.supportedBy[k] = append(a.supportedBy[k], req)
				}
			}
		}
	}
	if id == "" {
		return nil
	}
	return a.supportedBy[[2]string{kind, id}]
}

// refsOf are the clauses a finding about doc counts against: the rule's,
// and every requirement the document supports.
func (a *analyzer) refsOf(r *diag.Rule, doc aims.Doc) []string {
	m := doc.Header()
	refs := slices.Clone(r.Refs)
	for _, id := range a.supportedReqs(m.Kind, m.ID) {
		if !slices.Contains(refs, id) {
			refs = append(refs, id)
		}
	}
	slices.Sort(refs)
	return refs
}
