package gap

import (
	"reflect"

	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/link"
	"github.com/aims-dev/aims/pkg/load"
	"github.com/aims-dev/aims/pkg/schema"
)

// Rule is a check with a stable id; see diag.Rule.
type Rule = diag.Rule

// registry holds every rule aims can report: each stage's own, sorted by id.
// It is built once and never changed.
var registry = diag.NewRules(load.Rules(), schema.Rules(), link.Rules(),
	fields(configRule), fields(documentRule), fields(soaRule), fields(evidenceRule), fields(riskRule),
	fields(systemRule), fields(datasetRule), fields(auditRule), fields(reviewRule), fields(nonconformityRule), fields(objectiveRule),
	fields(competenceRule), fields(awarenessRule), fields(communicationRule), fields(processRule), fields(supplierRule),
	fields(authorityRule), fields(controlRule), fields(dateRule), fields(narrativeRule))

// fields lists the rules of a rule set: a struct whose fields are *diag.Rule.
// A rule is registered by being a field of its set, so it cannot be
// defined and forgotten.
func fields(set any) []*diag.Rule {
	v := reflect.ValueOf(set)
	out := make([]*diag.Rule, v.NumField())
	for i := range out {
		out[i] = v.Field(i).Interface().(*diag.Rule)
	}
	return out
}

// Rules returns every rule aims can report, sorted by id.
func Rules() []Rule {
	out := make([]Rule, len(registry))
	for i, r := range registry {
		out[i] = *r
	}
	return out
}

// LookupRule returns the rule with id.
func LookupRule(id string) (Rule, bool) {
	r, ok := registry.Lookup(id)
	if !ok {
		return Rule{}, false
	}
	return *r, true
}
