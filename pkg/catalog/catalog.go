package catalog

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
)

//go:embed catalog.tsv
var catalogTSV string

// Kind of a catalog entry.
type Kind string

const (
	Group   Kind = "group"   // clause 4-10 or Annex A area A.2-A.10
	Clause  Kind = "clause"  // a clause requirement such as 6.1.2
	Control Kind = "control" // an Annex A control such as A.6.2.4
)

// Phase is the implementation phase organisations usually tackle an entry in;
// gap roadmaps are grouped by it.
type Phase string

// Phases in the order organisations work through them.
var Phases = []Phase{"foundation", "planning", "enablement", "execution", "evaluation", "improvement"}

// Entry is one catalog item.
type Entry struct {
	ID         string `json:"id"`
	Kind       Kind   `json:"kind"`
	Title      string `json:"title"`
	Parent     string `json:"parent,omitempty"`
	Documented bool   `json:"documented_information,omitempty"` // the standard asks for documented information
	Phase      Phase  `json:"phase"`
	Guidance   string `json:"guidance,omitempty"`
}

// Catalog is the parsed, ordered catalog.
type Catalog struct {
	entries []Entry
	byID    map[string]int
}

var std = mustParse(catalogTSV)

// ISO42001 returns the embedded ISO/IEC 42001:2023 catalog.
func ISO42001() *Catalog { return std }

func mustParse(s string) *Catalog {
	c, err := parse(s)
	if err != nil {
		panic(err) // the embedded file is checked by tests; this is a build defect
	}
	return c
}

func parse(s string) (*Catalog, error) {
	c := &Catalog{byID: map[string]int{}}
	for n, line := range strings.Split(strings.TrimSpace(s), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 7 {
			return nil, fmt.Errorf("catalog.tsv:%d: %d fields, want 7", n+1, len(f))
		}
		e := Entry{ID: f[0], Kind: Kind(f[1]), Parent: f[2], Documented: f[3] == "yes", Phase: Phase(f[4]), Title: f[5], Guidance: f[6]}
		if _, dup := c.byID[e.ID]; dup {
			return nil, fmt.Errorf("catalog.tsv:%d: duplicate id %s", n+1, e.ID)
		}
		c.byID[e.ID] = len(c.entries)
		c.entries = append(c.entries, e)
	}
	return c, nil
}

// Lookup returns the entry with id.
func (c *Catalog) Lookup(id string) (Entry, bool) {
	i, ok := c.byID[id]
	if !ok {
		return Entry{}, false
	}
	return c.entries[i], true
}

// Requirements returns the clauses then the controls, in standard order.
func (c *Catalog) Requirements() []Entry {
	return slices.DeleteFunc(slices.Clone(c.entries), func(e Entry) bool { return e.Kind == Group })
}

// Of returns the entries of one kind, in standard order.
func (c *Catalog) Of(k Kind) []Entry {
	return slices.DeleteFunc(slices.Clone(c.entries), func(e Entry) bool { return e.Kind != k })
}

// Children returns the requirements in a group.
func (c *Catalog) Children(group string) []Entry {
	return slices.DeleteFunc(c.Requirements(), func(e Entry) bool { return e.Parent != group })
}

// IsRequirement reports whether id is a clause or control id.
func (c *Catalog) IsRequirement(id string) bool {
	e, ok := c.Lookup(id)
	return ok && e.Kind != Group
}

// Normalize maps an Annex B guidance id (B.6.2.4), which third-party
// crosswalks cite, to the Annex A control it mirrors.
func Normalize(id string) string {
	if rest, ok := strings.CutPrefix(id, "B."); ok {
		return "A." + rest
	}
	return id
}

// ControlIDs returns the ids of all Annex A controls.
func (c *Catalog) ControlIDs() []string {
	var ids []string
	for _, e := range c.Of(Control) {
		ids = append(ids, e.ID)
	}
	return ids
}

// Suggest returns the known requirement ids that share the most leading
// characters with id, for "did you mean" in errors (A.4.1 -> A.4.2).
func (c *Catalog) Suggest(id string) string {
	best, bestN := "", 0
	for _, e := range c.Requirements() {
		n := 0
		for n < len(id) && n < len(e.ID) && id[n] == e.ID[n] {
			n++
		}
		if n > bestN {
			best, bestN = e.ID, n
		}
	}
	if bestN < len(id)/2 {
		return ""
	}
	return best
}
