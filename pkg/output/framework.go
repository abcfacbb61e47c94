package output

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/aims-dev/aims/pkg/catalog"
	"github.com/aims-dev/aims/pkg/gap"
	"github.com/aims-dev/aims/pkg/registry"
)

// FrameworkWriter writes a framework view derived from the gap analysis.
type FrameworkWriter func(w io.Writer, v *gap.FrameworkView) error

var frameworkFormats = registry.New("format",
	registry.Entry[FrameworkWriter]{Name: "text", Value: frameworkText},
	registry.Entry[FrameworkWriter]{Name: "json", Value: func(w io.Writer, v *gap.FrameworkView) error { return writeJSON(w, v) }},
)

// FrameworkFormats lists the valid format names of a framework view.
func FrameworkFormats() []string { return frameworkFormats.Names() }

// NewFramework returns the framework view writer for format, or an error
// listing the valid formats.
func NewFramework(format string) (FrameworkWriter, error) { return frameworkFormats.Get(format) }

// maxEvidence is how many evidence ids a text line lists before "+N more";
// the json format lists them all.
const maxEvidence = 6

func frameworkText(w io.Writer, v *gap.FrameworkView) error {
	s := v.Summary
	iso := catalog.ISO42001()
	per := ""
	if v.Systems != nil {
		per = ", per AI system"
	}
	fmt.Fprintf(w, "%s view as of %s%s (derived)\n", v.Name, v.AsOf, per)
	fmt.Fprintf(w, "Statuses %s.\n", v.Basis)
	fmt.Fprintf(w, "%d met, %d partial, %d missing, %d excluded of %d items\n", s.Met, s.Partial, s.Missing, s.Excluded, s.Total)
	if v.Systems == nil {
		cat, err := catalog.Framework(v.Framework)
		if err != nil {
			return err
		}
		group := ""
		for _, it := range v.Items {
			if it.Group != group {
				group = it.Group
				g, _ := cat.Lookup(group)
				fmt.Fprintf(w, "\n%s\n", g.Title)
			}
			frameworkItem(w, iso, it, false)
		}
	}
	for _, sys := range v.Systems {
		fmt.Fprintf(w, "\n%s %s (class %s, role %s, %s)\n", sys.ID, sys.Title, cmp.Or(sys.Class, "unclassified"), cmp.Or(sys.Role, "not set"), sys.Stage)
		if len(sys.Items) == 0 {
			fmt.Fprintf(w, "  no obligations mapped")
			if sys.Note != "" {
				fmt.Fprintf(w, ": %s", sys.Note)
			}
			fmt.Fprintln(w)
			continue
		}
		if sys.Note != "" {
			fmt.Fprintf(w, "  note: %s\n", sys.Note)
		}
		for _, it := range sys.Items {
			frameworkItem(w, iso, it, true)
		}
	}
	fmt.Fprintf(w, "\nMapping sources\n")
	for _, src := range v.Sources {
		fmt.Fprintf(w, "  %s: %s\n", src.ID, src.Title)
	}
	return nil
}

// frameworkItem writes one item, the requirements behind it and, for an AI
// system, its evidence.
func frameworkItem(w io.Writer, iso *catalog.Catalog, it gap.FrameworkItem, evidence bool) {
	_, id := catalog.SplitQID(it.ID)
	fmt.Fprintf(w, "  %s %s  %s  %s\n", marks[it.Status], id, it.Status, it.Title)
	var reqs, types, sources []string
	for _, r := range it.Requirements {
		_, rid := catalog.SplitQID(r.ID)
		reqs = append(reqs, fmt.Sprintf("%s %s", rid, r.Status))
		types = append(types, string(r.Type))
		sources = append(sources, r.Source)
	}
	fmt.Fprintf(w, "      %s: %s [%s; %s]\n", iso.Name, strings.Join(reqs, ", "), strings.Join(uniq(types), ", "), strings.Join(uniq(sources), ", "))
	for _, c := range it.Checks {
		state := "met"
		if !c.Met {
			state = "not met: " + oneLine(c.Detail)
		}
		fmt.Fprintf(w, "      system check %s: %s\n", gap.CheckTitle(c.Name), state)
	}
	if evidence {
		var ev []string
		for _, s := range it.Evidence {
			ev = append(ev, cmp.Or(s.ID, s.Title))
		}
		ev = uniq(ev)
		if len(ev) > maxEvidence {
			ev = append(ev[:maxEvidence], fmt.Sprintf("+%d more", len(ev)-maxEvidence))
		}
		fmt.Fprintf(w, "      evidence: %s\n", cmp.Or(strings.Join(ev, ", "), "none"))
	}
	for _, r := range it.Requirements {
		if !slices.Contains(it.NotMet, r.ID) {
			continue
		}
		_, id := catalog.SplitQID(r.ID)
		why := ""
		if len(r.Reasons) > 0 {
			why = ": " + oneLine(r.Reasons[0])
		}
		fmt.Fprintf(w, "      not met: %s %s (%s)%s\n", id, r.Title, r.Status, why)
	}
}

// uniq returns the distinct strings in order of first appearance.
func uniq(list []string) []string {
	var out []string
	for _, s := range list {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
