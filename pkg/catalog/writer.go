package catalog

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/aims-dev/aims/pkg/registry"
)

// Writer writes a catalog in one format.
type Writer func(w io.Writer, c *Catalog) error

var formats = registry.New("format",
	registry.Entry[Writer]{Name: "text", Value: writeText},
	registry.Entry[Writer]{Name: "json", Value: writeJSON},
)

// Formats lists the valid format names for `aims catalog`.
func Formats() []string { return formats.Names() }

// NewWriter returns the writer for format, or an error listing the valid
// formats.
func NewWriter(format string) (Writer, error) { return formats.Get(format) }

// writeText lists each group with its requirements, titles aligned.
func writeText(w io.Writer, c *Catalog) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, g := range c.Of(Group) {
		fmt.Fprintf(tw, "%s\t%s\n", g.ID, g.Title)
		for _, e := range c.Children(g.ID) {
			fmt.Fprintf(tw, "  %s\t%s\n", e.ID, e.Title)
		}
	}
	return tw.Flush()
}

// writeJSON lists the requirements with their qualified id, kind and group.
func writeJSON(w io.Writer, c *Catalog) error {
	type entry struct {
		ID     string `json:"id"`
		QID    string `json:"qid"` // qualified with the framework: "iso27001:A.5.4"
		Kind   string `json:"kind"`
		Title  string `json:"title"`
		Parent string `json:"parent"`
	}
	var out []entry
	for _, e := range c.Requirements() {
		out = append(out, entry{e.ID, e.QID(), string(e.Kind), e.Title, e.Parent})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
