package crosswalk

import "slices"

// EUAIAct is the framework id of the EU AI Act.
const EUAIAct = "eu-ai-act"

// obligation is when an EU AI Act article applies to an AI system: the
// system's class (eu_ai_act.class) and the organisation's role for it.
type obligation struct {
	article string
	classes []string // nil: every class but not_applicable
	roles   []string // nil: every role
}

var (
	providers = []string{"provider", "developer"}
	deployers = []string{"deployer", "user"}
	highRisk  = []string{"high"}
)

// obligations are the articles aims maps, in the regulation's order.
var obligations = []obligation{
	{article: "Art. 4"},
	{article: "Art. 5", classes: []string{"prohibited"}},
	{article: "Art. 9", classes: highRisk, roles: providers},
	{article: "Art. 10", classes: highRisk, roles: providers},
	{article: "Art. 11", classes: highRisk, roles: providers},
	{article: "Art. 12", classes: highRisk, roles: providers},
	{article: "Art. 13", classes: highRisk, roles: providers},
	{article: "Art. 14", classes: highRisk, roles: providers},
	{article: "Art. 15", classes: highRisk, roles: providers},
	{article: "Art. 17", classes: highRisk, roles: providers},
	{article: "Art. 26", classes: highRisk, roles: deployers},
	{article: "Art. 27", classes: highRisk, roles: deployers},
	{article: "Art. 50", classes: []string{"limited"}},
	{article: "Art. 72", classes: highRisk, roles: providers},
	{article: "Art. 73", classes: highRisk, roles: providers},
}

// Obligations returns the EU AI Act articles that apply to an AI system of
// class whose role the organisation has, and a note on what aims does not
// map for it (the general-purpose AI model track, importers and
// distributors), or why nothing applies.
func Obligations(class, role string) (articles []string, note string) {
	switch {
	case class == "":
		return nil, "not classified under the EU AI Act (set eu_ai_act.class)"
	case class == "not_applicable":
		return nil, "outside the EU AI Act"
	}
	for _, o := range obligations {
		if (o.classes == nil || slices.Contains(o.classes, class)) && (o.roles == nil || slices.Contains(o.roles, role)) {
			articles = append(articles, o.article)
		}
	}
	switch {
	case class == "gpai":
		note = "general-purpose AI model obligations (Art. 51-56) are not mapped"
	case class == "high" && role == "":
		note = "the organisation's role for the system is not set (role), so no role's obligations are listed"
	case class == "high" && !slices.Contains(providers, role) && !slices.Contains(deployers, role):
		note = "the obligations of importers and distributors (Art. 23-24) are not mapped; role " + role
	case class == "minimal":
		note = "minimal risk: only AI literacy applies; codes of conduct are voluntary"
	}
	return articles, note
}

// systemChecks are the AI system tier checks (settings.tiers.*.requires)
// each article also depends on for one system, beyond the ISO/IEC 42001
// requirements it maps to: an article is not met for a system whose tier
// requires one of these and the system fails it. Indicative, like the
// article mappings.
var systemChecks = map[string][]string{
	"Art. 9":  {"impact_assessment"},
	"Art. 10": {"dataset_provenance", "dataset_quality", "representativeness", "bias_testing"},
	"Art. 11": {"explainability"},
	"Art. 12": {"event_logging"},
	"Art. 13": {"explainability"},
	"Art. 14": {"human_oversight", "fallback", "shutdown_criteria"},
	"Art. 15": {"robustness_testing", "verification"},
	"Art. 26": {"human_oversight", "monitoring", "event_logging"},
	"Art. 27": {"impact_assessment"},
	"Art. 72": {"monitoring", "drift_thresholds"},
}

// SystemChecks returns the names of the tier checks article depends on for
// one AI system.
func SystemChecks(article string) []string { return slices.Clone(systemChecks[article]) }

// AllSystemChecks lists every tier check name the articles name, for tests.
func AllSystemChecks() []string {
	var out []string
	for _, names := range systemChecks {
		out = append(out, names...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
