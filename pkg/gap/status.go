package gap

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/aims-dev/aims/pkg/catalog"
	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/load"
)

// Phase is one step of the roadmap.
type Phase struct {
	Phase string `json:"phase"` // "blocking" first, then the catalog phases
	Title string `json:"title"`
	Items []Item `json:"items"`
}

// Item is a requirement to work on.
type Item struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Status   Status   `json:"status"`
	Blocking bool     `json:"blocking"`
	Actions  []string `json:"actions"`
}

var phaseTitles = map[string]string{
	"blocking":    "Blocks certification",
	"foundation":  "Foundation: context and leadership",
	"planning":    "Planning: risks, impacts and objectives",
	"enablement":  "Enablement: resources, competence and documents",
	"execution":   "Execution: AI life-cycle controls",
	"evaluation":  "Evaluation: monitoring, audits and reviews",
	"improvement": "Improvement: nonconformities and corrective action",
}

// PhaseTitle is the display title of a roadmap phase.
func PhaseTitle(p string) string { return phaseTitles[p] }

const maxReasons = 8

func (a *analyzer) result(prior diag.List) *Result {
	a.findings.Sort()
	res := &Result{AsOf: a.now.Format("2006-01-02"), Findings: a.findings, Systems: a.systems, Overrides: a.applied, Evidence: a.states,
		RiskThreshold:    a.risk,
		Risks:            sortByID(a.risks, func(v RiskVerdict) string { return v.ID }),
		Objectives:       sortByID(a.objectives, func(v ObjectiveVerdict) string { return v.ID }),
		Reviews:          sortByID(a.reviews, func(v ReviewVerdict) string { return v.ID }),
		Nonconformities:  sortByID(a.ncs, func(v NonconformityVerdict) string { return v.ID }),
		Suppliers:        sortByID(a.suppliers, func(v SupplierVerdict) string { return v.ID }),
		Datasets:         sortByID(a.datasets, func(v DatasetVerdict) string { return v.ID }),
		DocumentsOverdue: a.overdueDocs,
	}
	if res.DocumentsOverdue == nil {
		res.DocumentsOverdue = []DocumentReview{}
	}
	res.Evidence = sortByID(res.Evidence, func(e EvidenceState) string { return e.ID })
	if res.Overrides == nil {
		res.Overrides = []Override{}
	}
	if res.Systems == nil {
		res.Systems = []System{}
	}

	// Findings of severity warning or above, from every stage, count against
	// the requirements their rules protect: a requirement with one is not met.
	// An info note does not count.
	errs := map[string][]string{}
	count := func(d diag.Diagnostic) {
		if d.Severity < diag.Warning {
			return
		}
		refs := d.Refs
		if refs == nil {
			if r, ok := registry.Lookup(d.Code); ok {
				refs = r.Refs
			}
		}
		msg := d.Msg
		if d.Pos.IsValid() {
			msg = fmt.Sprintf("%s (%s)", d.Msg, d.Pos)
		}
		for _, r := range refs {
			errs[r] = append(errs[r], msg)
		}
	}
	for _, d := range prior {
		if inv := a.invalidAt(d.Pos); inv != nil && d.Severity >= diag.Error {
			// A document that fails validation drops out of the model, and
			// with it every check of what it is for: its error counts
			// against that too, so nothing stays met on a document that
			// could not be read.
			d.Refs = slices.Concat(d.Refs, kindRefs[inv.Kind])
			if len(d.Refs) == 0 {
				if r, ok := registry.Lookup(d.Code); ok {
					d.Refs = slices.Concat(r.Refs, kindRefs[inv.Kind])
				}
			}
		}
		count(d)
	}
	for _, d := range a.findings {
		count(d)
	}

	rows := a.soaRows()
	for _, e := range a.cat.Requirements() {
		r := Requirement{ID: e.ID, Kind: e.Kind, Title: e.Title, Parent: e.Parent, Phase: e.Phase, Documented: e.Documented,
			Evidence: slices.Clip(a.support[e.ID]), Reasons: []string{}} // the analysis is done with support
		if r.Evidence == nil {
			r.Evidence = []Support{}
		}
		valid := slices.ContainsFunc(r.Evidence, func(s Support) bool { return s.Valid })
		row, inSoA := rows[e.ID]
		switch {
		case e.Kind == catalog.Control && inSoA && !row.row.Applicable && says(row.row.Justification):
			r.Status = Excluded
			r.Reasons = append(r.Reasons, "not applicable: "+row.row.Justification)
		case !valid:
			r.Status = Missing
			if len(r.Evidence) == 0 {
				r.Reasons = append(r.Reasons, "no evidence: "+e.Guidance)
			}
			for _, s := range r.Evidence {
				r.Reasons = append(r.Reasons, fmt.Sprintf("%s %s does not count: %s%s", s.Kind, cmp.Or(s.ID, s.Title), s.Note, at(s.File, s.Line)))
			}
		default:
			r.Status = Met
		}
		// Some requirements are met only by their own records: evidence
		// that names them cannot stand in for the audit or review itself.
		if kinds, ok := recordKinds[e.ID]; ok && r.Status != Excluded {
			if !slices.ContainsFunc(r.Evidence, func(s Support) bool { return s.Valid && slices.Contains(kinds, s.Kind) }) {
				if r.Status == Met {
					r.Status = Partial
				}
				r.Reasons = append(r.Reasons, fmt.Sprintf("no current %s record: evidence alone does not show it", strings.Join(kinds, " or ")))
			}
		}
		if r.Status != Excluded && e.Kind == catalog.Control {
			switch {
			case !inSoA:
				r.Reasons = append(r.Reasons, "not in the Statement of Applicability")
			case row.row.Applicable && row.row.Implementation != "implemented":
				p := pos(row.soa.Doc, "controls", row.i, "implementation")
				if row.row.Implementation == "" {
					p = pos(row.soa.Doc, "controls", row.i)
				}
				r.Reasons = append(r.Reasons, fmt.Sprintf("the Statement of Applicability records implementation as %s (%s)", cmp.Or(row.row.Implementation, "unknown"), p))
			}
		}
		if r.Status != Excluded {
			r.Findings = len(errs[e.ID])
			r.Reasons = append(r.Reasons, errs[e.ID]...)
		}
		if r.Status == Met && len(r.Reasons) > 0 {
			r.Status = Partial
		}
		if len(r.Reasons) > maxReasons {
			more := len(r.Reasons) - maxReasons
			r.Reasons = append(r.Reasons[:maxReasons], fmt.Sprintf("... and %d more", more))
		}
		r.Blocking = r.Status != Met && r.Status != Excluded && (e.Documented && r.Status == Missing || a.blocking[e.ID])
		res.Requirements = append(res.Requirements, r)
	}
	// Evidence that supports no requirement of the catalog (it names only
	// unknown ids and no SoA row cites it) counts for nothing.
	used := map[string]bool{}
	for _, r := range res.Requirements {
		for _, s := range r.Evidence {
			if s.Kind == "Evidence" {
				used[s.ID] = true
			}
		}
	}
	for i := range res.Evidence {
		if st := &res.Evidence[i]; !used[st.ID] {
			st.Counts, st.Note = false, "satisfies no known requirement"
		}
	}
	res.Summary = summarize(res.Requirements)
	res.Roadmap = roadmap(res.Requirements)
	return res
}

func summarize(reqs []Requirement) Summary {
	var s Summary
	for _, r := range reqs {
		s.Add(r.Status)
		if r.Blocking {
			s.Blocking++
		}
		if r.Status != Excluded && r.Findings > 0 {
			s.WithFindings++
		}
	}
	s.Score = Score(s.Met, s.Total-s.Excluded)
	return s
}

// EvidenceState returns the state of the Evidence with id.
func (r *Result) EvidenceState(id string) (EvidenceState, bool) {
	return find(r.Evidence, id, func(e EvidenceState) string { return e.ID })
}

// find looks a verdict up by id in a list sorted by id.
func find[T any](list []T, id string, key func(T) string) (T, bool) {
	i, ok := slices.BinarySearchFunc(list, id, func(v T, id string) int { return strings.Compare(key(v), id) })
	if !ok {
		var zero T
		return zero, false
	}
	return list[i], true
}

// sortByID sorts verdicts by id, for find and for stable output.
func sortByID[T any](list []T, key func(T) string) []T {
	slices.SortStableFunc(list, func(x, y T) int { return strings.Compare(key(x), key(y)) })
	if list == nil {
		list = []T{}
	}
	return list
}

// Score is the share of applicable requirements met, as a percentage rounded
// to one decimal. A partial requirement counts nothing: an auditor accepts
// a requirement or raises a finding against it, and half credit for
// "partial" would flatter an AIMS whose requirements all carry findings.
func Score(met, applicable int) float64 {
	if applicable == 0 {
		return 0
	}
	return math.Round(float64(met)/float64(applicable)*1000) / 10
}

// roadmap orders open requirements: whatever blocks certification first,
// then the rest by implementation phase; missing before partial, then in
// the standard's order.
func roadmap(reqs []Requirement) []Phase {
	phases := []Phase{{Phase: "blocking", Title: phaseTitles["blocking"]}}
	for _, p := range catalog.Phases {
		phases = append(phases, Phase{Phase: string(p), Title: phaseTitles[string(p)]})
	}
	for _, st := range []Status{Missing, Partial} {
		for _, r := range reqs {
			if r.Status != st {
				continue
			}
			it := Item{ID: r.ID, Title: r.Title, Status: r.Status, Blocking: r.Blocking, Actions: r.Reasons}
			i := 0
			if !r.Blocking {
				i = slices.Index(catalog.Phases, r.Phase) + 1
			}
			phases[i].Items = append(phases[i].Items, it)
		}
	}
	return slices.DeleteFunc(phases, func(p Phase) bool { return len(p.Items) == 0 })
}

// at is " (file:line)" for a reason that names a record, so a reader can
// jump to it; "" without a file.
func at(file string, line int) string {
	if file == "" {
		return ""
	}
	return " (" + diag.Pos{File: file, Line: line}.String() + ")"
}

// recordKinds are the requirements only their own kind of record can meet:
// an auditor asks for the audit, the management review or the supplier
// record itself, and a file that merely claims the clause does not show it
// happened. Everything else may also be met by Evidence that names it.
var recordKinds = map[string][]string{
	"9.2.1":  {"Audit"},
	"9.2.2":  {"Audit"},
	"9.3.1":  {"ManagementReview"},
	"9.3.2":  {"ManagementReview"},
	"9.3.3":  {"ManagementReview"},
	"A.10.2": {"Supplier"},
	"A.10.3": {"Supplier"},
}

// kindRefs are the requirements each kind of document is there for: a
// document of that kind that fails validation counts against them (its
// checks could not run). Evidence is not here: what it claims is unknown
// when it cannot be read.
var kindRefs = map[string][]string{
	"Scope":            {"4.3"},
	"Policy":           {"5.2", "A.2.2"},
	"Role":             {"5.3", "A.3.2"},
	"Person":           {"5.3"},
	"RiskCriteria":     {"6.1.1", "6.1.2"},
	"Risk":             {"6.1.2", "6.1.3", "8.2", "8.3"},
	"Applicability":    {"6.1.3"},
	"ImpactAssessment": {"6.1.4", "8.4", "A.5.2", "A.5.3"},
	"Objective":        {"6.2"},
	"Change":           {"6.3"},
	"Competence":       {"7.2", "A.4.6"},
	"Awareness":        {"7.3"},
	"Communication":    {"7.4"},
	"Process":          {"8.1"},
	"AISystem":         {"A.4.2", "A.6.2.6", "A.9.4"},
	"Dataset":          {"A.4.3", "A.7.2"},
	"Supplier":         {"A.10.2", "A.10.3"},
	"Audit":            {"9.2.1", "9.2.2"},
	"ManagementReview": {"9.3.1", "9.3.2", "9.3.3"},
	"Nonconformity":    {"10.2"},
}

// invalidAt is the document that failed validation and holds p: the last
// one in p's file that starts at or before it.
func (a *analyzer) invalidAt(p diag.Pos) *load.Document {
	var best *load.Document
	for _, d := range a.m.Invalid {
		if d.File != p.File || d.Start().Line > max(p.Line, 1) {
			continue
		}
		if best == nil || d.Start().Line > best.Start().Line {
			best = d
		}
	}
	return best
}
