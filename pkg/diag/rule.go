package diag

import (
	"cmp"
	"fmt"
	"slices"
)

// Rule is a check with a stable id and everything a user, an auditor and
// every output format say about it. Each stage (load, schema, link, gap)
// defines its rules as values next to the code that applies them; a
// Diagnostic's Code is the ID of the rule that produced it.
type Rule struct {
	ID       string   `json:"id"`
	Severity Severity `json:"severity"`
	// Refs are the ISO/IEC 42001 clause and control ids the rule protects: a
	// finding of severity warning or above counts against them.
	Refs        []string `json:"refs"`
	Title       string   `json:"title"`
	Description string   `json:"description"` // what it checks
	Why         string   `json:"why,omitempty"`
	Fix         string   `json:"fix,omitempty"`
	// Configurable rules may be given another severity, or switched off, in
	// aims.yaml with a written reason.
	Configurable bool `json:"configurable"`
}

// Report appends a finding of rule r at its own severity and refs.
func (l *List) Report(r *Rule, pos Pos, format string, args ...any) {
	*l = append(*l, Diagnostic{Pos: pos, Severity: r.Severity, Code: r.ID, Msg: fmt.Sprintf(format, args...), Refs: r.Refs})
}

// Rules is a set of rules, sorted by id.
type Rules []*Rule

// NewRules sorts the given rules by id. Duplicate ids are a programming
// error that tests catch (TestRulesAreDocumented), so they are kept.
func NewRules(sets ...[]*Rule) Rules {
	var all Rules
	for _, s := range sets {
		all = append(all, s...)
	}
	slices.SortFunc(all, func(a, b *Rule) int { return cmp.Compare(a.ID, b.ID) })
	return all
}

// Lookup returns the rule with id.
func (rs Rules) Lookup(id string) (*Rule, bool) {
	i, ok := slices.BinarySearchFunc(rs, id, func(r *Rule, id string) int { return cmp.Compare(r.ID, id) })
	if !ok {
		return nil, false
	}
	return rs[i], true
}
