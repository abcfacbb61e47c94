package gap

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/catalog"
	"github.com/aims-dev/aims/pkg/crosswalk"
)

// FrameworkView is another framework seen through the gap analysis: each of
// its items with a status derived from the ISO/IEC 42001 requirement
// statuses behind it. It is not a second judgement: an item is met only when
// every applicable requirement mapped to it is met.
type FrameworkView struct {
	Framework   string `json:"framework"`
	Name        string `json:"name"`
	AsOf        string `json:"as_of"`
	DerivedFrom string `json:"derived_from"` // always iso42001
	// Basis says in words how statuses are derived, for every output.
	Basis   string             `json:"basis"`
	Summary FrameworkSummary   `json:"summary"`
	Items   []FrameworkItem    `json:"items,omitempty"`   // organisation-wide frameworks
	Systems []SystemObligation `json:"systems,omitempty"` // the EU AI Act: per AI system
	// Sources are the origins of the mappings used, published or not.
	Sources []crosswalk.Source `json:"sources"`
}

// FrameworkSummary counts derived item statuses.
type FrameworkSummary struct {
	Counts
}

// FrameworkItem is one item of a framework (a subcategory, an article, a
// clause) with its derived status.
type FrameworkItem struct {
	ID      string `json:"id"` // qualified: "nist-ai-rmf:GOVERN 1.1"
	Title   string `json:"title"`
	Group   string `json:"group"`
	Status  Status `json:"status"`
	Derived bool   `json:"derived"` // always true: the status comes from ISO/IEC 42001
	// Requirements are the ISO/IEC 42001 requirements it maps to, each with
	// its own status, the mapping's type and source, and the evidence.
	Requirements []MappedRequirement `json:"requirements"`
	// NotMet are the qualified ids of the applicable requirements that are
	// not met, which is what keeps the item from being met.
	NotMet []string `json:"not_met"`
	// Evidence is, for one AI system's item, the evidence of all its
	// requirements once each, what names the system first.
	Evidence []Support `json:"evidence,omitempty"`
	// Checks are the AI system's tier checks the item also depends on
	// (EU AI Act, per system); a failed one keeps the item from being met.
	Checks []Check `json:"system_checks,omitempty"`
}

// MappedRequirement is an ISO/IEC 42001 requirement behind a framework item.
type MappedRequirement struct {
	ID     string         `json:"id"` // qualified: "iso42001:6.1.2"
	Title  string         `json:"title"`
	Status Status         `json:"status"`
	Type   crosswalk.Type `json:"type"`
	Source string         `json:"source"` // a crosswalk.Source id
	Note   string         `json:"note,omitempty"`
	// Reasons are the gap analysis's reasons when it is not met.
	Reasons []string `json:"reasons,omitempty"`
	// Evidence is what supports the requirement and counts; for an AI
	// system's view, without evidence that names only other systems.
	Evidence []Support `json:"evidence"`
}

// SystemObligation is one AI system's EU AI Act obligations.
type SystemObligation struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Class string `json:"class"` // eu_ai_act.class
	Role  string `json:"role"`
	Stage string `json:"stage"`
	// Note says why nothing applies, or what applies but aims does not map.
	Note  string          `json:"note,omitempty"`
	Items []FrameworkItem `json:"items"`
}

// Derive returns the view of framework derived from the gap analysis res of
// the AIMS m. ISO/IEC 42001 itself is the analysis, not a view of it.
func Derive(res *Result, m *aims.Model, framework string) (*FrameworkView, error) {
	cat, err := catalog.Framework(framework)
	if err != nil {
		return nil, err
	}
	cw, err := crosswalk.For(framework)
	if err != nil {
		return nil, fmt.Errorf("%s is judged directly, not derived: %w", framework, err)
	}
	iso := catalog.ISO42001()
	d := deriver{res: res, cw: cw, cat: cat, iso: iso, byReq: map[string]Requirement{}, sources: map[string]bool{}}
	for _, r := range res.Requirements {
		d.byReq[r.ID] = r
	}
	v := &FrameworkView{Framework: framework, Name: cat.Name, AsOf: res.AsOf, DerivedFrom: iso.ID,
		Basis: fmt.Sprintf("derived from the %s requirement statuses: an item is met only when every applicable requirement mapped to it is met", iso.Name)}
	if framework == crosswalk.EUAIAct {
		v.Systems = d.systems(m)
		for _, s := range v.Systems {
			v.Summary.add(s.Items)
		}
	} else {
		for _, e := range cat.Requirements() {
			v.Items = append(v.Items, d.item(e, "", nil, nil))
		}
		v.Summary.add(v.Items)
	}
	for _, id := range []string{"nist-crosswalk", "derived", "indicative"} {
		if s, ok := crosswalk.LookupSource(id); ok && d.sources[id] {
			v.Sources = append(v.Sources, s)
		}
	}
	return v, nil
}

func (s *FrameworkSummary) add(items []FrameworkItem) {
	for _, it := range items {
		s.Add(it.Status)
	}
}

type deriver struct {
	res      *Result
	cw       *crosswalk.Crosswalk
	cat, iso *catalog.Catalog
	byReq    map[string]Requirement
	sources  map[string]bool
	// bySystem indexes each requirement's valid evidence by the AI systems
	// it names (built on first use by an AI system's view), so that a
	// system's view does not rank every piece of evidence of the AIMS.
	bySystem map[string]systemEvidence
	// valid caches validEvidence by requirement id.
	valid map[string][]Support
}

// systemEvidence holds indexes into a requirement's Evidence: what names
// no AI system (about the whole AIMS), and what names each system.
type systemEvidence struct {
	all   []int
	named map[string][]int
}

// systemEvidence returns r's valid evidence that concerns the AI system
// sys: what names it or names no system, in r's order. named maps a
// document id to the systems it names (see concerns).
func (d *deriver) systemEvidence(r Requirement, sys string, named map[string][]string) []Support {
	idx, ok := d.bySystem[r.ID]
	if !ok {
		idx = systemEvidence{named: map[string][]int{}}
		for i, s := range r.Evidence {
			if !s.Valid {
				continue
			}
			systems := named[s.ID]
			if len(systems) == 0 {
				idx.all = append(idx.all, i)
			}
			for _, id := range systems {
				if l := idx.named[id]; len(l) == 0 || l[len(l)-1] != i {
					idx.named[id] = append(l, i)
				}
			}
		}
		if d.bySystem == nil {
			d.bySystem = map[string]systemEvidence{}
		}
		d.bySystem[r.ID] = idx
	}
	a, b := idx.all, idx.named[sys]
	out := make([]Support, 0, len(a)+len(b))
	for len(a) > 0 || len(b) > 0 {
		if len(b) == 0 || len(a) > 0 && a[0] < b[0] {
			out, a = append(out, r.Evidence[a[0]]), a[1:]
		} else {
			out, b = append(out, r.Evidence[b[0]]), b[1:]
		}
	}
	return out
}

// item derives the status of the framework entry e. For one AI system,
// concern ranks evidence (about this system, about the whole AIMS, about
// others only) and checks are its tier checks.
//
// For an AI system's view, sys names the system and named maps documents
// to the systems they name (see concerns); both are empty for the AIMS.
func (d *deriver) item(e catalog.Entry, sys string, named map[string][]string, checks []Check) FrameworkItem {
	it := FrameworkItem{ID: e.QID(), Title: e.Title, Group: e.Parent, Derived: true, NotMet: []string{}, Checks: checks}
	applicable, anyMet := 0, false
	for _, mp := range d.cw.From(e.ID) {
		_, local := catalog.SplitQID(mp.To)
		r := d.byReq[local]
		mr := MappedRequirement{ID: mp.To, Title: r.Title, Status: cmp.Or(r.Status, Missing), Type: mp.Type, Source: mp.Source, Note: mp.Note}
		if sys == "" {
			mr.Evidence = d.validEvidence(r)
		} else {
			mr.Evidence = d.systemEvidence(r, sys, named) // a new slice, never nil
			for _, s := range mr.Evidence {
				if !slices.Contains(it.Evidence, s) {
					it.Evidence = append(it.Evidence, s)
				}
			}
		}
		if mr.Status != Met && mr.Status != Excluded {
			mr.Reasons = r.Reasons
		}
		d.sources[mp.Source] = true
		it.Requirements = append(it.Requirements, mr)
		if mr.Status == Excluded {
			continue
		}
		applicable++
		if mr.Status == Met || mr.Status == Partial {
			anyMet = true
		}
		if mr.Status != Met {
			it.NotMet = append(it.NotMet, mr.ID)
		}
	}
	if sys != "" { // what is about this system first
		first := func(s Support) bool { return len(named[s.ID]) > 0 }
		slices.SortStableFunc(it.Evidence, func(a, b Support) int {
			switch fa, fb := first(a), first(b); {
			case fa == fb:
				return 0
			case fa:
				return -1
			}
			return 1
		})
	}
	failed := slices.ContainsFunc(checks, func(c Check) bool { return !c.Met })
	switch {
	case applicable == 0:
		it.Status = Excluded
	case len(it.NotMet) == 0 && !failed:
		it.Status = Met
	case anyMet:
		it.Status = Partial
	default:
		it.Status = Missing
	}
	return it
}

// validEvidence is r's evidence that counts, never nil. It is worked out
// once per requirement and shared by every item mapped to it (full, so an
// append copies): a requirement may hold thousands of pieces of evidence.
func (d *deriver) validEvidence(r Requirement) []Support {
	if ev, ok := d.valid[r.ID]; ok {
		return ev
	}
	n := 0
	for _, s := range r.Evidence {
		if s.Valid {
			n++
		}
	}
	ev := make([]Support, 0, n)
	for _, s := range r.Evidence {
		if s.Valid {
			ev = append(ev, s)
		}
	}
	if d.valid == nil {
		d.valid = map[string][]Support{}
	}
	d.valid[r.ID] = ev
	return ev
}

// systems lists every AI system with the EU AI Act articles that apply to
// it from its class and the organisation's role, in file order.
func (d *deriver) systems(m *aims.Model) []SystemObligation {
	named := concerns(m)
	judged := make(map[string]System, len(d.res.Systems))
	for _, s := range slices.Backward(d.res.Systems) { // the first of a duplicated id, as before
		judged[s.ID] = s
	}
	var out []SystemObligation
	for _, s := range m.Systems {
		so := SystemObligation{ID: s.ID, Title: s.Name(), Class: s.EUClass(), Role: s.Role, Stage: s.Stage, Items: []FrameworkItem{}}
		articles, note := crosswalk.Obligations(so.Class, so.Role)
		if s.Stage == "retired" {
			articles, note = nil, "retired: no obligations while it is not on the market or in use"
		}
		so.Note = note
		sys := judged[s.ID]
		for _, a := range articles {
			e, ok := d.cat.Lookup(a)
			if !ok {
				continue
			}
			var checks []Check
			for _, name := range crosswalk.SystemChecks(a) {
				if i := slices.IndexFunc(sys.Checks, func(c Check) bool { return c.Name == name }); i >= 0 {
					checks = append(checks, sys.Checks[i])
				}
			}
			so.Items = append(so.Items, d.item(e, s.ID, named, checks))
		}
		out = append(out, so)
	}
	return out
}

// concerns maps the id of every document that is about particular AI
// systems to their ids: an AI system's view leaves out what concerns only
// others (their evidence, risks, impact assessments, datasets and records).
func concerns(m *aims.Model) map[string][]string {
	out := map[string][]string{}
	for _, e := range m.Evidence {
		out[e.ID] = e.Systems
	}
	for _, r := range m.Risks {
		out[r.ID] = r.Systems
	}
	for _, nc := range m.Nonconformities {
		out[nc.ID] = nc.Systems
	}
	for _, ia := range m.ImpactAssessments {
		if ia.System != "" {
			out[ia.ID] = []string{ia.System}
		}
	}
	for _, s := range m.Systems {
		out[s.ID] = append(out[s.ID], s.ID)
		for _, ds := range s.Datasets {
			out[ds] = append(out[ds], s.ID)
		}
	}
	return out
}
