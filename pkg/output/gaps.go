package output

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/aims-dev/aims/pkg/catalog"
	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/gap"
	"github.com/aims-dev/aims/pkg/registry"
)

// GapsWriter writes a gap analysis; cat names the groups requirements sit in.
type GapsWriter func(w io.Writer, res *gap.Result, cat *catalog.Catalog) error

var gapsFormats = registry.New("format",
	registry.Entry[GapsWriter]{Name: "text", Value: gapsText},
	registry.Entry[GapsWriter]{Name: "json", Value: func(w io.Writer, res *gap.Result, _ *catalog.Catalog) error { return writeJSON(w, res) }},
)

// GapsFormats lists the valid format names for the gap analysis.
func GapsFormats() []string { return gapsFormats.Names() }

// NewGaps returns the gap analysis writer for format, or an error listing
// the valid formats.
func NewGaps(format string) (GapsWriter, error) { return gapsFormats.Get(format) }

var marks = map[gap.Status]string{gap.Met: "✓", gap.Partial: "~", gap.Missing: "✗", gap.Excluded: "-"}

func gapsText(w io.Writer, res *gap.Result, cat *catalog.Catalog) error {
	s := res.Summary
	fmt.Fprintf(w, "ISO/IEC 42001 gap analysis as of %s\n", res.AsOf)
	fmt.Fprintf(w, "%d met, %d partial, %d missing, %d excluded of %d requirements: score %.1f%%, %d blocking certification, %d with open findings\n",
		s.Met, s.Partial, s.Missing, s.Excluded, s.Total, s.Score, s.Blocking, s.WithFindings)

	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	group := ""
	for _, r := range res.Requirements {
		if r.Parent != group {
			group = r.Parent
			g, _ := cat.Lookup(group)
			fmt.Fprintf(tw, "\n%s %s\n", g.ID, g.Title)
		}
		block := ""
		if r.Blocking {
			block = "  blocks certification"
		}
		fmt.Fprintf(tw, "  %s %s\t%s\t%s%s\n", marks[r.Status], r.ID, r.Status, r.Title, block)
		if r.Status != gap.Met {
			for _, reason := range r.Reasons {
				fmt.Fprintf(tw, "    \t\t- %s\n", oneLine(reason))
			}
			continue
		}
		// Met: the trace an auditor follows, what counts and who approved it.
		for _, sup := range r.Evidence {
			if sup.Valid {
				fmt.Fprintf(tw, "    \t\t+ %s\n", oneLine(Trace(sup)))
			}
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(res.Roadmap) > 0 {
		fmt.Fprintf(w, "\nRoadmap\n")
		n := 0
		for _, p := range res.Roadmap {
			fmt.Fprintf(w, "\n%s\n", p.Title)
			for _, it := range p.Items {
				n++
				fmt.Fprintf(w, "  %2d. %s %s (%s)\n", n, it.ID, it.Title, it.Status)
				if len(it.Actions) > 0 {
					fmt.Fprintf(w, "      %s\n", oneLine(it.Actions[0]))
				}
			}
		}
	}
	if len(res.Overrides) > 0 {
		fmt.Fprintf(w, "\nRules changed in aims.yaml\n")
		for _, o := range res.Overrides {
			fmt.Fprintf(w, "  %s -> %s: %s\n", o.Rule, o.Severity, oneLine(o.Reason))
		}
	}
	return nil
}

func oneLine(s string) string { return diag.Printable(strings.Join(strings.Fields(s), " ")) }

// writeJSON is the json format of every output that is its value, indented.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// Trace words one thing that supports a requirement: what it is, where it
// is, when it was made and who approved it when.
func Trace(s gap.Support) string {
	var b strings.Builder
	b.WriteString(s.Kind)
	if s.ID != "" {
		b.WriteString(" " + s.ID)
	}
	if s.Title != "" && s.Title != s.ID {
		fmt.Fprintf(&b, " %q", s.Title)
	}
	if s.File != "" {
		fmt.Fprintf(&b, " (%s)", diag.Pos{File: s.File, Line: s.Line})
	}
	if s.Date != "" {
		b.WriteString(", dated " + s.Date)
	}
	if s.ApprovedBy != "" {
		b.WriteString(", approved by " + s.ApprovedBy)
		if s.ApprovedOn != "" {
			b.WriteString(" on " + s.ApprovedOn)
		}
	}
	if s.SHA256 != "" {
		b.WriteString(", sha256 " + s.SHA256)
	}
	if s.Note != "" {
		b.WriteString("; " + s.Note)
	}
	return b.String()
}
