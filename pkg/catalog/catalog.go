package catalog

import (
	"fmt"
	"slices"
	"strings"
)

// Kind of a catalog entry. Group is common to every framework; the others
// name a framework's own requirement levels.
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
	// Framework is the id of the framework the entry belongs to
	// ("iso42001"); ID is unique within it.
	Framework  string `json:"framework"`
	ID         string `json:"id"`
	Kind       Kind   `json:"kind"`
	Title      string `json:"title"`
	Parent     string `json:"parent,omitempty"`
	Documented bool   `json:"documented_information,omitempty"` // the standard asks for documented information
	Phase      Phase  `json:"phase"`
	Guidance   string `json:"guidance,omitempty"`
}

// QID is the entry's qualified id, unique across frameworks:
// "iso42001:A.5.4" is not "iso27001:A.5.4".
func (e Entry) QID() string { return Qualify(e.Framework, e.ID) }

// Catalog is one framework's entries, in the framework's own order.
type Catalog struct {
	ID      string // framework id, the qualifier of its ids: "iso42001"
	Name    string // "ISO/IEC 42001:2023"
	entries []Entry
	byID    map[string]int
}

// Lookup returns the entry with id, plain ("A.5.4") or qualified with this
// catalog's framework ("iso42001:A.5.4"). An id qualified with another
// framework is not found.
func (c *Catalog) Lookup(id string) (Entry, bool) {
	fw, local := SplitQID(id)
	if fw != "" && fw != c.ID {
		return Entry{}, false
	}
	i, ok := c.byID[local]
	if !ok {
		return Entry{}, false
	}
	return c.entries[i], true
}

// Requirements returns every entry but the groups, in the framework's order:
// for ISO/IEC 42001 the clauses then the controls.
func (c *Catalog) Requirements() []Entry {
	return slices.DeleteFunc(slices.Clone(c.entries), func(e Entry) bool { return e.Kind == Group })
}

// Of returns the entries of one kind, in the framework's order.
func (c *Catalog) Of(k Kind) []Entry {
	return slices.DeleteFunc(slices.Clone(c.entries), func(e Entry) bool { return e.Kind != k })
}

// Children returns the requirements in a group.
func (c *Catalog) Children(group string) []Entry {
	return slices.DeleteFunc(c.Requirements(), func(e Entry) bool { return e.Parent != group })
}

// IsRequirement reports whether id is a requirement (not a group) of this
// framework.
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

// Qualify returns the qualified id of id in framework.
func Qualify(framework, id string) string { return framework + ":" + id }

// SplitQID splits a qualified id into its framework and local id; a plain id
// has no framework ("A.5.4" -> "", "A.5.4").
func SplitQID(qid string) (framework, id string) {
	if fw, local, ok := strings.Cut(qid, ":"); ok {
		return fw, local
	}
	return "", qid
}

// columns a framework file may hold; id, kind and title are required.
var columns = []string{"id", "kind", "parent", "documented", "phase", "title", "guidance"}

// parse reads a framework's data file: a header line naming its columns
// ("# id<TAB>kind<TAB>title..."), then one entry a line. A framework without
// phases or documented-information flags leaves those columns out.
func parse(c *Catalog, file, s string) error {
	c.byID = map[string]int{}
	lines := strings.Split(strings.TrimSpace(s), "\n")
	header, ok := strings.CutPrefix(lines[0], "# ")
	if !ok {
		return fmt.Errorf("%s:1: want a header line naming the columns (# id<TAB>kind<TAB>title...)", file)
	}
	col := map[string]int{}
	for i, name := range strings.Split(header, "\t") {
		if !slices.Contains(columns, name) {
			return fmt.Errorf("%s:1: unknown column %q (want %s)", file, name, strings.Join(columns, ", "))
		}
		col[name] = i
	}
	for _, name := range []string{"id", "kind", "title"} {
		if _, ok := col[name]; !ok {
			return fmt.Errorf("%s:1: no %s column", file, name)
		}
	}
	for n, line := range lines[1:] {
		if strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != len(col) {
			return fmt.Errorf("%s:%d: %d fields, want %d", file, n+2, len(f), len(col))
		}
		get := func(name string) string {
			if i, ok := col[name]; ok {
				return f[i]
			}
			return ""
		}
		e := Entry{Framework: c.ID, ID: get("id"), Kind: Kind(get("kind")), Parent: get("parent"), Documented: get("documented") == "yes",
			Phase: Phase(get("phase")), Title: get("title"), Guidance: get("guidance")}
		if _, dup := c.byID[e.ID]; dup {
			return fmt.Errorf("%s:%d: duplicate id %s", file, n+2, e.ID)
		}
		c.byID[e.ID] = len(c.entries)
		c.entries = append(c.entries, e)
	}
	return nil
}
