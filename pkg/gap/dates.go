package gap

import (
	"strconv"
	"strings"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/diag"
)

// dateRule are the rules about dates themselves; each sits beside the check
// that applies it and is registered by being a field here.
var dateRule = struct {
	Future *diag.Rule
}{
	Future: &diag.Rule{
		ID: "AIMS-G023", Severity: diag.Error, Refs: []string{"7.5.2"},
		Title: "Dated after today", Description: "Something that has happened (evidence collected, a document approved, a measurement taken, an audit completed, a review held, a nonconformity closed, training completed, ...) is dated after today (--as-of, or the commit date with --rev). It counts against the requirements the document supports.",
		Why:          "A record of something that has not happened yet is not a record: an auditor who finds an approval, a measurement or a closure dated after the audit stops trusting every other date in the AIMS (7.5.2 asks for records to be identified and dated). Planned dates (a planned audit, a due date, next_review) may lie in the future; completed ones may not.",
		Fix:          "Correct the date to when it really happened (a typo in the year is the usual cause), or, if it has not happened yet, record it as planned: remove the completion, set the audit's `state: planned`, or keep the action open with a `due` date. Check `--as-of` when running for a past or future date.",
		Configurable: true,
	},
}

// pastDate is a date field that records something done, which therefore
// cannot lie after today: in documents of kind Kind ("" for every kind), at
// Path (slash-separated keys, * for every element of a list), when If (nil
// for always) holds for the document.
type pastDate struct {
	Kind string
	Path string
	If   func(aims.Doc) bool
}

// pastDates is every date that says something has happened. Planned dates
// (due, next_review, planned, a planned audit's date) are not here.
var pastDates = []pastDate{
	{Kind: "", Path: "approved_on"},
	{Kind: "Evidence", Path: "collected"},
	{Kind: "Evidence", Path: "attestation/on"},
	{Kind: "Risk", Path: "identified"},
	{Kind: "Risk", Path: "assessed"},
	{Kind: "Risk", Path: "acceptance/approved_on"},
	{Kind: "AISystem", Path: "deployment/approved_on"},
	{Kind: "Dataset", Path: "acquisition/acquired"},
	{Kind: "Dataset", Path: "provenance/recorded"},
	{Kind: "Dataset", Path: "representativeness/reviewed_on"},
	{Kind: "Dataset", Path: "quality/checks/*/date"},
	{Kind: "ImpactAssessment", Path: "assessed"},
	{Kind: "Supplier", Path: "due_diligence/performed"},
	{Kind: "Objective", Path: "measurements/*/date"},
	{Kind: "Competence", Path: "records/*/completed"},
	{Kind: "Communication", Path: "records/*/date"},
	{Kind: "Audit", Path: "date", If: func(d aims.Doc) bool { return d.(*aims.Audit).State == "completed" }},
	// A review is planned while it is in the future; one that records
	// decisions was held.
	{Kind: "ManagementReview", Path: "date", If: func(d aims.Doc) bool { return len(d.(*aims.ManagementReview).Decisions) > 0 }},
	{Kind: "Nonconformity", Path: "detected"},
	{Kind: "Nonconformity", Path: "closed_on"},
	{Kind: "Nonconformity", Path: "effectiveness/reviewed_on"},
	{Kind: "Nonconformity", Path: "corrective_actions/*/completed"},
}

// datesByKind lists, per kind, the entries of pastDates that apply to it
// in their order, with their paths split once; anyKind those for a kind
// with none of its own.
var datesByKind, anyKind = func() (map[string][]pastDateOf, []pastDateOf) {
	m := map[string][]pastDateOf{}
	for _, own := range pastDates {
		if own.Kind == "" || m[own.Kind] != nil {
			continue
		}
		for _, pd := range pastDates {
			if pd.Kind == "" || pd.Kind == own.Kind {
				m[own.Kind] = append(m[own.Kind], pastDateOf{pd, splitPath(pd.Path)})
			}
		}
	}
	var all []pastDateOf
	for _, pd := range pastDates {
		if pd.Kind == "" {
			all = append(all, pastDateOf{pd, splitPath(pd.Path)})
		}
	}
	return m, all
}()

// pastDatesOf is what pastDates asks of a document of kind k.
func pastDatesOf(k string) []pastDateOf {
	if l, ok := datesByKind[k]; ok {
		return l
	}
	return anyKind
}

type pastDateOf struct {
	pastDate
	path fieldPath
}

// checkDates reports every date in pastDates that lies after today, and
// every result file measured after today. It runs last, so each finding
// counts against the requirements its document supports.
func (a *analyzer) checkDates() {
	for _, h := range a.scanned().dates {
		m, ptr := h.doc.Header(), h.ptr
		a.reportAgainst(dateRule.Future, a.supportedReqs(m.Kind, m.ID), valueAt(m.Doc, ptr...),
			"%s %s: %s %s is after today (%s)", m.Kind, m.Name(), strings.Join(pathNames(ptr), "."), h.s, a.now.Format("2006-01-02"))
	}
	for _, e := range a.m.Evidence {
		r, ok := a.m.Results[e.ID]
		if !ok || r.Doc == nil || !a.after(r.Measured) {
			continue
		}
		a.reportAgainst(dateRule.Future, a.supportedReqs("Evidence", e.ID), valueAt(r.Doc, "measured"),
			"result of evidence %s: measured %s is after today (%s)", e.ID, r.Measured, a.now.Format("2006-01-02"))
	}
}

// pathNames is a pointer as a reader writes it: actions[2].completed.
func pathNames(ptr []any) []string {
	var out []string
	for _, p := range ptr {
		switch p := p.(type) {
		case int:
			if len(out) > 0 {
				out[len(out)-1] += "[" + strconv.Itoa(p) + "]"
			}
		default:
			out = append(out, p.(string))
		}
	}
	return out
}
