package crosswalk

import (
	"embed"
	"fmt"
	"slices"
	"strings"

	"github.com/aims-dev/aims/pkg/catalog"
	"github.com/aims-dev/aims/pkg/registry"
)

//go:embed crosswalks/*.tsv
var data embed.FS

// Type is how a framework item relates to the ISO/IEC 42001 requirement it
// maps to, in the vocabulary of the published crosswalks (OLIR, SCF).
type Type string

const (
	Equal      Type = "equal"      // the same requirement
	Subset     Type = "subset"     // the item asks for part of the requirement
	Superset   Type = "superset"   // the item asks for more than the requirement
	Intersects Type = "intersects" // they overlap; neither covers the other
)

var types = []Type{Equal, Subset, Superset, Intersects}

// Source is where mappings come from.
type Source struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Published is true for a crosswalk its publisher authored; indicative
	// and derived mappings are not, and outputs say so.
	Published bool `json:"published"`
}

// sources are the origins a mapping may name, one row each.
var sources = registry.New("mapping source",
	registry.Entry[Source]{Name: "nist-crosswalk", Value: Source{ID: "nist-crosswalk", Published: true,
		Title: "NIST AI RMF to ISO/IEC 42001 crosswalk, hosted by NIST"}},
	registry.Entry[Source]{Name: "derived", Value: Source{ID: "derived",
		Title: "two published mappings chained through a pivot (Secure Controls Framework, CSA AI Controls Matrix); not a published crosswalk"}},
	registry.Entry[Source]{Name: "indicative", Value: Source{ID: "indicative",
		Title: "our own synthesis from public notes; not a published mapping, confirm it"}},
)

// LookupSource returns the source with id.
func LookupSource(id string) (Source, bool) {
	s, err := sources.Get(id)
	return s, err == nil
}

// Mapping is one row of a crosswalk: a framework item to one ISO/IEC 42001
// requirement. Both ids are qualified ("nist-ai-rmf:GOVERN 1.1",
// "iso42001:6.2").
type Mapping struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Type   Type   `json:"type"`
	Source string `json:"source"`
	Note   string `json:"note,omitempty"`
}

// Crosswalk is one framework's mappings to ISO/IEC 42001.
type Crosswalk struct {
	Framework string
	mappings  []Mapping
	byFrom    map[string][]int
}

// From returns the mappings of the framework item id (plain or qualified),
// in file order.
func (c *Crosswalk) From(id string) []Mapping {
	_, local := catalog.SplitQID(id)
	var out []Mapping
	for _, i := range c.byFrom[local] {
		out = append(out, c.mappings[i])
	}
	return out
}

// Mappings returns every mapping, in file order.
func (c *Crosswalk) Mappings() []Mapping { return slices.Clone(c.mappings) }

// crosswalks are the frameworks mapped to ISO/IEC 42001, one row each: a
// new framework is its catalog file, its crosswalk file and a row here.
var crosswalks = registry.New("framework with a crosswalk to iso42001",
	crosswalk("nist-ai-rmf"),
	crosswalk("eu-ai-act"),
	crosswalk("iso27001"),
	crosswalk("iso9001"),
	crosswalk("iso31000"),
)

// For returns the crosswalk of framework, or an error naming those there are.
func For(framework string) (*Crosswalk, error) { return crosswalks.Get(framework) }

// Frameworks lists the frameworks with a crosswalk.
func Frameworks() []string { return crosswalks.Names() }

// crosswalk reads crosswalks/ID.tsv. The data is embedded and checked by
// tests, so a file that does not parse is a build defect.
func crosswalk(id string) registry.Entry[*Crosswalk] {
	file := "crosswalks/" + id + ".tsv"
	b, err := data.ReadFile(file)
	if err != nil {
		panic(err)
	}
	c, err := parse(id, file, string(b))
	if err != nil {
		panic(err)
	}
	return registry.Entry[*Crosswalk]{Name: id, Value: c}
}

// header is the first line of every crosswalk file.
const header = "# id\tiso42001\ttype\tsource\tnote"

// parse reads a crosswalk file: the header, then one mapping a line from an
// item of framework to an ISO/IEC 42001 requirement. Every id must be a
// requirement of its catalog, every type and source known.
func parse(framework, file, s string) (*Crosswalk, error) {
	from, err := catalog.Framework(framework)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	iso := catalog.ISO42001()
	lines := strings.Split(strings.Trim(s, "\n"), "\n")
	if lines[0] != header {
		return nil, fmt.Errorf("%s:1: want the header %q", file, header)
	}
	c := &Crosswalk{Framework: framework, byFrom: map[string][]int{}}
	seen := map[[2]string]bool{}
	for n, line := range lines[1:] {
		at := fmt.Sprintf("%s:%d", file, n+2)
		f := strings.Split(line, "\t")
		if len(f) != 5 {
			return nil, fmt.Errorf("%s: %d fields, want 5", at, len(f))
		}
		m := Mapping{From: catalog.Qualify(framework, f[0]), To: catalog.Qualify(iso.ID, f[1]), Type: Type(f[2]), Source: f[3], Note: f[4]}
		switch {
		case !from.IsRequirement(f[0]):
			return nil, fmt.Errorf("%s: %s is not a requirement of %s", at, f[0], framework)
		case !iso.IsRequirement(f[1]):
			return nil, fmt.Errorf("%s: %s is not an ISO/IEC 42001 requirement", at, f[1])
		case !slices.Contains(types, m.Type):
			return nil, fmt.Errorf("%s: unknown mapping type %q (want equal, subset, superset or intersects)", at, f[2])
		case seen[[2]string{f[0], f[1]}]:
			return nil, fmt.Errorf("%s: %s to %s mapped twice", at, f[0], f[1])
		}
		if _, err := sources.Get(m.Source); err != nil {
			return nil, fmt.Errorf("%s: %w", at, err)
		}
		seen[[2]string{f[0], f[1]}] = true
		c.byFrom[f[0]] = append(c.byFrom[f[0]], len(c.mappings))
		c.mappings = append(c.mappings, m)
	}
	return c, nil
}
