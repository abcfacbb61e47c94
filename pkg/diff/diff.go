package diff

import (
	"cmp"
	"maps"
	"slices"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/gap"
)

// Side is one state of the AIMS.
type Side struct {
	Label string // "v1 (3f2a9c1, 2026-01-20)" or "working tree"
	Model *aims.Model
	Gap   *gap.Result
}

// StatusChange is a requirement whose status changed.
type StatusChange struct {
	ID    string     `json:"id"`
	Title string     `json:"title"`
	From  gap.Status `json:"from"`
	To    gap.Status `json:"to"`
	Worse bool       `json:"regression"`
}

// Item names a document.
type Item struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// Rescore is a risk whose scores changed.
type Rescore struct {
	ID           string `json:"id"`
	Title        string `json:"title"`
	FromScore    int    `json:"from_score"`
	ToScore      int    `json:"to_score"`
	FromResidual int    `json:"from_residual"` // -1: not evaluated
	ToResidual   int    `json:"to_residual"`
}

// FieldChange is a changed value of a named thing.
type FieldChange struct {
	ID    string `json:"id"`
	Field string `json:"field"`
	From  string `json:"from"`
	To    string `json:"to"`
}

// Result is the semantic diff.
type Result struct {
	From      string  `json:"from"`
	To        string  `json:"to"`
	FromScore float64 `json:"from_score"`
	ToScore   float64 `json:"to_score"`

	Requirements []StatusChange `json:"requirements"`

	RisksAdded    []Item    `json:"risks_added"`
	RisksRemoved  []Item    `json:"risks_removed"`
	RisksRescored []Rescore `json:"risks_rescored"`

	SoA []FieldChange `json:"soa"`

	EvidenceAdded   []Item `json:"evidence_added"`
	EvidenceRemoved []Item `json:"evidence_removed"`
	EvidenceExpired []Item `json:"evidence_expired"`

	NonconformitiesOpened []Item `json:"nonconformities_opened"`
	NonconformitiesClosed []Item `json:"nonconformities_closed"`

	SystemsAdded   []Item        `json:"systems_added"`
	SystemsRemoved []Item        `json:"systems_removed"`
	SystemsChanged []FieldChange `json:"systems_changed"` // tier, EU AI Act class, stage
}

// rank orders statuses for regressions; excluded is a decision, not a level.
var rank = map[gap.Status]int{gap.Missing: 1, gap.Partial: 2, gap.Met: 3}

// Regressions are the requirements that got worse.
func (r *Result) Regressions() []StatusChange {
	return slices.DeleteFunc(slices.Clone(r.Requirements), func(c StatusChange) bool { return !c.Worse })
}

// Empty reports whether nothing changed.
func (r *Result) Empty() bool {
	return len(r.Requirements)+len(r.RisksAdded)+len(r.RisksRemoved)+len(r.RisksRescored)+len(r.SoA)+
		len(r.EvidenceAdded)+len(r.EvidenceRemoved)+len(r.EvidenceExpired)+len(r.NonconformitiesOpened)+
		len(r.NonconformitiesClosed)+len(r.SystemsAdded)+len(r.SystemsRemoved)+len(r.SystemsChanged) == 0
}

// Compare diffs a against b.
func Compare(a, b Side) *Result {
	r := &Result{From: a.Label, To: b.Label, FromScore: a.Gap.Summary.Score, ToScore: b.Gap.Summary.Score}

	before := map[string]gap.Requirement{}
	for _, q := range a.Gap.Requirements {
		before[q.ID] = q
	}
	for _, q := range b.Gap.Requirements {
		p, ok := before[q.ID]
		if !ok || p.Status == q.Status {
			continue
		}
		worse := rank[q.Status] > 0 && rank[p.Status] > rank[q.Status]
		r.Requirements = append(r.Requirements, StatusChange{ID: q.ID, Title: q.Title, From: p.Status, To: q.Status, Worse: worse})
	}

	ra, rb := byID(a.Model.Risks), byID(b.Model.Risks)
	r.RisksAdded, r.RisksRemoved = addedRemoved(ra, rb)
	for _, id := range slices.Sorted(maps.Keys(rb)) {
		x, ok := ra[id]
		y := rb[id]
		if ok && (x.Score() != y.Score() || x.ResidualScore() != y.ResidualScore()) {
			r.RisksRescored = append(r.RisksRescored, Rescore{ID: id, Title: y.Name(), FromScore: x.Score(), ToScore: y.Score(),
				FromResidual: x.ResidualScore(), ToResidual: y.ResidualScore()})
		}
	}

	r.SoA = soaChanges(a.Model, b.Model)

	ea, eb := byID(a.Model.Evidence), byID(b.Model.Evidence)
	r.EvidenceAdded, r.EvidenceRemoved = addedRemoved(ea, eb)
	for _, id := range slices.Sorted(maps.Keys(eb)) {
		if _, ok := ea[id]; ok && counts(a.Gap, id) && !counts(b.Gap, id) {
			r.EvidenceExpired = append(r.EvidenceExpired, Item{id, eb[id].Name()})
		}
	}

	na, nb := byID(a.Model.Nonconformities), byID(b.Model.Nonconformities)
	for _, id := range slices.Sorted(maps.Keys(nb)) {
		x, existed := na[id]
		y := nb[id]
		if y.Open() && (!existed || !x.Open()) {
			r.NonconformitiesOpened = append(r.NonconformitiesOpened, Item{id, y.Name()})
		}
		if !y.Open() && (!existed || x.Open()) {
			r.NonconformitiesClosed = append(r.NonconformitiesClosed, Item{id, y.Name()})
		}
	}

	sa, sb := byID(a.Model.Systems), byID(b.Model.Systems)
	r.SystemsAdded, r.SystemsRemoved = addedRemoved(sa, sb)
	for _, id := range slices.Sorted(maps.Keys(sb)) {
		x, ok := sa[id]
		if !ok {
			continue
		}
		y := sb[id]
		for _, f := range []struct{ name, from, to string }{
			{"risk_tier", x.RiskTier, y.RiskTier},
			{"eu_ai_act", x.EUClass(), y.EUClass()},
			{"stage", x.Stage, y.Stage},
		} {
			if f.from != f.to {
				r.SystemsChanged = append(r.SystemsChanged, FieldChange{ID: id, Field: f.name, From: f.from, To: f.to})
			}
		}
	}
	return r
}

func soaChanges(a, b *aims.Model) []FieldChange {
	rows := func(m *aims.Model) map[string]aims.ControlRow {
		out := map[string]aims.ControlRow{}
		for _, s := range m.SoAs {
			for _, c := range s.Controls {
				if _, dup := out[c.Control]; !dup {
					out[c.Control] = c
				}
			}
		}
		return out
	}
	ra, rb := rows(a), rows(b)
	ids := map[string]bool{}
	for id := range ra {
		ids[id] = true
	}
	for id := range rb {
		ids[id] = true
	}
	var out []FieldChange
	for _, id := range slices.Sorted(maps.Keys(ids)) {
		x, inA := ra[id]
		y, inB := rb[id]
		switch {
		case !inA:
			out = append(out, FieldChange{ID: id, Field: "row", From: "absent", To: applicability(y)})
		case !inB:
			out = append(out, FieldChange{ID: id, Field: "row", From: applicability(x), To: "absent"})
		default:
			if x.Applicable != y.Applicable {
				out = append(out, FieldChange{ID: id, Field: "applicable", From: applicability(x), To: applicability(y)})
			}
			if x.Implementation != y.Implementation {
				out = append(out, FieldChange{ID: id, Field: "implementation", From: cmp.Or(x.Implementation, "unset"), To: cmp.Or(y.Implementation, "unset")})
			}
			if x.Justification != y.Justification {
				out = append(out, FieldChange{ID: id, Field: "justification", From: x.Justification, To: y.Justification})
			}
		}
	}
	return out
}

func applicability(c aims.ControlRow) string {
	if c.Applicable {
		return "applicable"
	}
	return "not applicable"
}

// counts is gap's verdict: the evidence with id supports what it satisfies.
func counts(g *gap.Result, id string) bool {
	st, ok := g.EvidenceState(id)
	return ok && st.Counts
}

type named interface {
	comparable
	aims.Doc
}

func byID[T named](docs []T) map[string]T {
	m := map[string]T{}
	for _, d := range docs {
		if id := d.Header().ID; id != "" {
			m[id] = d
		}
	}
	return m
}

func addedRemoved[T named](a, b map[string]T) (added, removed []Item) {
	for _, id := range slices.Sorted(maps.Keys(b)) {
		if _, ok := a[id]; !ok {
			added = append(added, Item{id, b[id].Header().Name()})
		}
	}
	for _, id := range slices.Sorted(maps.Keys(a)) {
		if _, ok := b[id]; !ok {
			removed = append(removed, Item{id, a[id].Header().Name()})
		}
	}
	return added, removed
}
