package gap

import (
	"slices"
	"strings"

	"github.com/aims-dev/aims/pkg/diag"
)

// controlRule are the rules about document control judged from version
// control (7.5.3); each sits beside the check that applies it and is
// registered by being a field here.
var controlRule = struct {
	ChangedAfterApproval    *diag.Rule
	ApprovalRecordedByOther *diag.Rule
}{
	ChangedAfterApproval: &diag.Rule{
		ID: "AIMS-G097", Severity: diag.Error, Refs: []string{"7.5.2", "7.5.3"},
		Title: "Changed after approval", Description: "In git, a document's content differs from the version its current approval was recorded with.",
		Why:          "An approval covers the text that was approved (7.5.2); documented information must be protected from unintended alteration and its changes controlled (7.5.3). When git shows the content changed after the commit that recorded the approval, and the approval was not renewed, nobody has approved what the document now says, and an auditor comparing versions will find it.",
		Fix:          "Have the changed document approved again: record the new `approved_by`/`approved_on` (and usually a new `version`) in the same commit as the change, or in a later one by the approver; or revert the change. aims compares the document's content (every field except `approved_by`, `approved_on`, `version`, `status` and `next_review`, plus a Markdown body) at the commit that recorded the approval with the version checked, including uncommitted edits. Do not override: an unapproved change is what the clause forbids.",
		Configurable: true,
	},
	ApprovalRecordedByOther: &diag.Rule{
		ID: "AIMS-G098", Severity: diag.Warning, Refs: []string{"7.5.3"},
		Title: "Approval recorded by someone else", Description: "In git, the commit that recorded an approval was authored by someone who is not the approver.",
		Why:          "The commit that records an approval is the trace an auditor can check (7.5.3). When its author's e-mail is not the approver's, git does not show that the approver approved anything: someone else wrote their name. A secretary or the AIMS manager may legitimately record approvals given in a meeting, so this is a warning.",
		Fix:          "Let the approver commit the approval, or record the approver's work e-mail as `email` on their `kind: Person` (matched case-insensitively with the commit author's). If approvals are recorded on the approver's behalf, say so with an override and its reason, e.g. `AIMS-G098: {severity: info, reason: \"The AIMS manager records approvals given in the Executive Committee; minutes in evidence/governance.\"}`.",
		Configurable: true,
	},
}

// ApprovalRecord is what version control shows about the current approval
// of one document (workspace computes it; gap judges it).
type ApprovalRecord struct {
	File string
	ID   string
	// The commit that recorded the current approval; Hash is "" when the
	// approval is not committed yet.
	Hash, Short, Author, Email, Date string
	// ChangedIn says where the content changed after that commit: "" when
	// it did not, else e.g. "commit 3f2a9c1 of 2026-03-05 by Ann" or
	// "an uncommitted edit".
	ChangedIn string
}

// checkControl judges document control from version control: content
// changed after its approval, and approvals recorded by someone else.
func (a *analyzer) checkControl() {
	if !a.opts.Versioned {
		return
	}
	recs := map[[2]string]ApprovalRecord{}
	for _, r := range a.opts.Approvals {
		recs[[2]string{r.File, r.ID}] = r
	}
	p := a.people()
	for _, doc := range a.m.All {
		m := doc.Header()
		if m.Doc == nil || !approved(m) {
			continue
		}
		rec, ok := recs[[2]string{m.Doc.File, m.ID}]
		if !ok || rec.Hash == "" {
			continue
		}
		// Positions are looked up only for findings someone sees: a
		// rule switched off (as the shipped example does for its
		// history) made every approved document decode its positions.
		if rec.ChangedIn != "" && !a.off(controlRule.ChangedAfterApproval) {
			a.reportAgainst(controlRule.ChangedAfterApproval, a.refsOf(controlRule.ChangedAfterApproval, doc), pos(m.Doc, "approved_on"),
				"%s %s changed after its approval on %s, recorded in commit %s of %s: %s changed it and it was not approved again", m.Kind, m.Name(), m.ApprovedOn, rec.Short, rec.Date, rec.ChangedIn)
		}
		if !p.known(m.ApprovedBy) || a.off(controlRule.ApprovalRecordedByOther) {
			continue
		}
		emails := p.emails(m.ApprovedBy)
		switch {
		case len(emails) == 0:
			a.reportAgainst(controlRule.ApprovalRecordedByOther, a.refsOf(controlRule.ApprovalRecordedByOther, doc), pos(m.Doc, "approved_by"), "the approval of %s %s by %s was recorded in commit %s by %s <%s>; %s records no e-mail to match", m.Kind, m.Name(), m.ApprovedBy, rec.Short, rec.Author, rec.Email, m.ApprovedBy)
		case !slices.Contains(emails, strings.ToLower(rec.Email)):
			a.reportAgainst(controlRule.ApprovalRecordedByOther, a.refsOf(controlRule.ApprovalRecordedByOther, doc), pos(m.Doc, "approved_by"), "the approval of %s %s by %s was recorded in commit %s by %s <%s>, not by the approver", m.Kind, m.Name(), m.ApprovedBy, rec.Short, rec.Author, rec.Email)
		}
	}
}
