package catalog

import (
	"embed"

	"github.com/aims-dev/aims/pkg/registry"
)

//go:embed frameworks/*.tsv
var data embed.FS

// ISO42001ID is the id of ISO/IEC 42001:2023, the framework aims judges an
// AIMS against; every other framework is read through crosswalks to it.
const ISO42001ID = "iso42001"

// frameworks are the frameworks aims knows, one row each: a framework is its
// data file in frameworks/ plus a row here (and, to be judged, a crosswalk
// to ISO/IEC 42001 in package crosswalk).
var frameworks = registry.New("framework",
	framework(ISO42001ID, "ISO/IEC 42001:2023"),
	framework("nist-ai-rmf", "NIST AI RMF 1.0"),
	framework("eu-ai-act", "EU AI Act (Regulation (EU) 2024/1689)"),
	framework("iso27001", "ISO/IEC 27001:2022"),
	framework("iso9001", "ISO 9001:2015"),
	framework("iso31000", "ISO 31000:2018"),
)

// framework reads frameworks/ID.tsv. The data is embedded and checked by
// tests, so a file that does not parse is a build defect.
func framework(id, name string) registry.Entry[*Catalog] {
	file := "frameworks/" + id + ".tsv"
	b, err := data.ReadFile(file)
	if err != nil {
		panic(err)
	}
	c := &Catalog{ID: id, Name: name}
	if err := parse(c, file, string(b)); err != nil {
		panic(err)
	}
	return registry.Entry[*Catalog]{Name: id, Value: c}
}

// Frameworks lists the ids of the frameworks aims knows.
func Frameworks() []string { return frameworks.Names() }

// Framework returns the catalog of the framework id, or an error listing
// the known ones.
func Framework(id string) (*Catalog, error) { return frameworks.Get(id) }

// ISO42001 returns the ISO/IEC 42001:2023 catalog, the one requirements
// are judged against.
func ISO42001() *Catalog {
	c, _ := Framework(ISO42001ID) // registered above
	return c
}

// Resolve looks a qualified id ("iso42001:A.5.4") up in its framework.
func Resolve(qid string) (Entry, bool) {
	fw, _ := SplitQID(qid)
	c, err := Framework(fw)
	if err != nil {
		return Entry{}, false
	}
	return c.Lookup(qid)
}
