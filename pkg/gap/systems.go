package gap

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/load"
)

// systemRule are the rules about AI systems, proportional to their risk
// tier; each sits beside the check that applies it and is registered by
// being a field here.
var systemRule = struct {
	ImpactAssessment         *diag.Rule
	BiasTestingUndefined     *diag.Rule
	NoRecentBiasResult       *diag.Rule
	BiasBreached             *diag.Rule
	HumanOversight           *diag.Rule
	FallbackOrShutdown       *diag.Rule
	Monitoring               *diag.Rule
	Explainability           *diag.Rule
	RobustnessTesting        *diag.Rule
	EventLogging             *diag.Rule
	DatasetControls          *diag.Rule
	VerificationOrDeployment *diag.Rule
	PersonalData             *diag.Rule
	SupplierDueDiligence     *diag.Rule
	Prohibited               *diag.Rule
	TierBelowEUClass         *diag.Rule
	DriftBreached            *diag.Rule
}{
	ImpactAssessment: &diag.Rule{
		ID: "AIMS-G040", Severity: diag.Error, Refs: []string{"6.1.4", "8.4", "A.5.2", "A.5.3"},
		Title: "Impact assessment missing or not current", Description: "The system's tier requires an approved, current impact assessment.",
		Why:          "Clauses 6.1.4 and 8.4 with controls A.5.2 and A.5.3 expect a documented, current assessment of how each AI system may affect individuals, groups and society; for systems of this tier the auditor will ask for it by name and check that it is approved and still within its review date.",
		Fix:          "Add a `kind: ImpactAssessment` with `system: <system id>`, `assessed`, `individuals` and `societal` impacts (each with `severity`), `mitigations` and a `conclusion`, approved with `approved_by`, `approved_on`, `status: approved` and free of `TODO`s; if one exists, renew it and move its `next_review` forward. If the tier truly should not require this, change `settings.tiers.<tier>.requires` in `aims.yaml` (it applies to every system of the tier) rather than overriding; an override hides the finding but the system's check stays unmet in the report.",
		Configurable: true,
	},
	BiasTestingUndefined: &diag.Rule{
		ID: "AIMS-G041", Severity: diag.Error, Refs: []string{"A.5.4", "A.6.2.4"},
		Title: "Bias testing not defined", Description: "The tier requires bias testing across named protected attributes with metric thresholds.",
		Why:          "Controls A.5.4 and A.6.2.4 expect impacts on individuals and groups to be assessed and verified; for systems of this tier an auditor expects fairness to be tested against named protected attributes with pass/fail thresholds agreed in advance, not judged after the fact.",
		Fix:          "Add `bias_testing` to the AISystem with `protected_attributes` (e.g. `[sex, age_band]`), `metrics` (e.g. `- {metric: demographic_parity_difference, threshold: 0.05, direction: at_most}`) and a `frequency`. If the tier truly should not require this, change `settings.tiers.<tier>.requires` in `aims.yaml` (it applies to every system of the tier) rather than overriding; an override hides the finding but the system's check stays unmet in the report.",
		Configurable: true,
	},
	NoRecentBiasResult: &diag.Rule{
		ID: "AIMS-G042", Severity: diag.Error, Refs: []string{"A.5.4", "9.1"},
		Title: "No recent bias result", Description: "The tier requires a bias_test result (aims-result/v1) for the system, recent enough (settings.bias_result_max_age_days).",
		Why:          "Defined bias tests only help if they are run; A.5.4 and the monitoring clause 9.1 expect measurement results to be retained, and an auditor will ask for the latest fairness result of each high-risk system and its date.",
		Fix:          "Add a `kind: Evidence` with `type: bias_test`, `systems: [<system id>]`, `owner`, `collected` and a `path` to a result file in the `aims-result/v1` format (`format`, `type: bias`, `system`, `measured`, `results`), measured within `settings.bias_result_max_age_days` (default 180). If the tier truly should not require this, change `settings.tiers.<tier>.requires` in `aims.yaml` (it applies to every system of the tier) rather than overriding; an override hides the finding but the system's check stays unmet in the report.",
		Configurable: true,
	},
	BiasBreached: &diag.Rule{
		ID: "AIMS-G043", Severity: diag.Error, Refs: []string{"A.5.4", "9.1"},
		Title: "Bias threshold breached", Description: "A bias result is beyond the system's threshold and no remediation is tracked: an open nonconformity naming the system, or an unfinished treatment of a fairness risk naming it, raised on or after the measurement.",
		Why:          "A measured bias beyond the system's own threshold is a fairness harm to individuals or groups (A.5.4) found by your own monitoring (9.1); an auditor accepts a breach that is being handled, but not one that nobody has picked up.",
		Fix:          "Raise a `kind: Nonconformity` (`source: monitoring`, `systems: [<system id>]`, `detected` on or after the result's `measured` date, `state: open`), or a `kind: Risk` with `source: fairness`, the system in `systems`, `identified` on or after the measurement and an unfinished `treatment`; then fix the model and commit a new result. If the threshold itself was wrong, change `bias_testing.metrics[].threshold` with a reason in git; an override is not honest for a real breach.",
		Configurable: true,
	},
	HumanOversight: &diag.Rule{
		ID: "AIMS-G044", Severity: diag.Error, Refs: []string{"A.9.4"},
		Title: "Human oversight not defined", Description: "The tier requires a human oversight mode and when a person must review.",
		Why:          "Control A.9.4 expects AI systems to be used as intended, which for systems of this tier includes meaningful human oversight; an auditor will ask who can intervene, in what situations, and how that is shown.",
		Fix:          "Add `human_oversight` to the AISystem with `mode` (`in_the_loop`, `on_the_loop` or `in_command`; `none` does not satisfy the tier) and either a `description` of who oversees and how or `review_required_when` (e.g. `[\"score within 0.05 of the cut-off\", \"applicant contests the decision\"]`). If the tier truly should not require this, change `settings.tiers.<tier>.requires` in `aims.yaml` (it applies to every system of the tier) rather than overriding; an override hides the finding but the system's check stays unmet in the report.",
		Configurable: true,
	},
	FallbackOrShutdown: &diag.Rule{
		ID: "AIMS-G045", Severity: diag.Error, Refs: []string{"A.6.2.6"},
		Title: "Fallback or shutdown criteria missing", Description: "The tier requires a fallback and criteria for shutting the system down.",
		Why:          "Control A.6.2.6 covers operating the system safely, including what happens when it fails or must be stopped; an auditor will ask for the fallback procedure and the conditions that trigger a shutdown, decided before an incident rather than during it.",
		Fix:          "Set `fallback` on the AISystem (e.g. `fallback: \"Applications go to manual underwriting.\"`) and list `shutdown_criteria` (e.g. `[\"approval-rate drift above 10% for 2 days\", \"confirmed discriminatory outcome\"]`). If the tier truly should not require this, change `settings.tiers.<tier>.requires` in `aims.yaml` (it applies to every system of the tier) rather than overriding; an override hides the finding but the system's check stays unmet in the report.",
		Configurable: true,
	},
	Monitoring: &diag.Rule{
		ID: "AIMS-G046", Severity: diag.Error, Refs: []string{"A.6.2.6", "9.1"},
		Title: "Monitoring not defined", Description: "The tier requires monitored metrics with thresholds, and drift thresholds where required.",
		Why:          "Control A.6.2.6 and clause 9.1 expect operational performance to be monitored against defined criteria; without metrics, thresholds and (where required) drift limits, an auditor cannot see how the organisation would notice the system degrading.",
		Fix:          "Add `monitoring` to the AISystem with `frequency`, `metrics` (e.g. `- {metric: auc, threshold: 0.75, direction: at_least}`) and, where the tier requires drift thresholds, `drift` (e.g. `- {metric: psi, threshold: 0.2}`). If the tier truly should not require this, change `settings.tiers.<tier>.requires` in `aims.yaml` (it applies to every system of the tier) rather than overriding; an override hides the finding but the system's check stays unmet in the report.",
		Configurable: true,
	},
	Explainability: &diag.Rule{
		ID: "AIMS-G047", Severity: diag.Error, Refs: []string{"A.6.2.7", "A.8.2"},
		Title: "Explainability documentation incomplete", Description: "The tier requires model type, inputs, outputs, decision logic and a user-facing explanation.",
		Why:          "Controls A.6.2.7 and A.8.2 expect technical documentation and information for users and affected people; an auditor checks that the model, its inputs and outputs, how it decides and what affected people are told are written down.",
		Fix:          "Fill in the AISystem fields the message lists: `model.type` (e.g. `gradient-boosted trees`), `inputs`, `outputs`, `explainability.decision_logic` and `explainability.user_explanation`. If the tier truly should not require this, change `settings.tiers.<tier>.requires` in `aims.yaml` (it applies to every system of the tier) rather than overriding; an override hides the finding but the system's check stays unmet in the report.",
		Configurable: true,
	},
	RobustnessTesting: &diag.Rule{
		ID: "AIMS-G048", Severity: diag.Error, Refs: []string{"A.6.2.4"},
		Title: "No robustness testing", Description: "The tier requires adversarial robustness test evidence (type robustness_test) for the system.",
		Why:          "Verification under A.6.2.4 for systems of this tier includes showing the system holds up against adversarial or unexpected inputs; an auditor will ask for the robustness test report and check it is current.",
		Fix:          "Add a `kind: Evidence` with `type: robustness_test`, `systems: [<system id>]`, `owner`, `collected`, a `path` or `url` to the test report and `satisfies: [\"A.6.2.4\"]`; it must be current and free of `TODO`s to count. If the tier truly should not require this, change `settings.tiers.<tier>.requires` in `aims.yaml` (it applies to every system of the tier) rather than overriding; an override hides the finding but the system's check stays unmet in the report.",
		Configurable: true,
	},
	EventLogging: &diag.Rule{
		ID: "AIMS-G049", Severity: diag.Error, Refs: []string{"A.6.2.8"},
		Title: "Event logging not defined", Description: "The tier requires the events the system logs and their retention.",
		Why:          "Control A.6.2.8 expects a decision on which events an AI system records and for how long; without it an auditor cannot see how incidents, contested decisions or drift could be reconstructed.",
		Fix:          "Add `logging` to the AISystem with `events` (e.g. `[inputs, score, decision, reviewer_override, model_version]`) and `retention` (e.g. `\"7 years\"`). If the tier truly should not require this, change `settings.tiers.<tier>.requires` in `aims.yaml` (it applies to every system of the tier) rather than overriding; an override hides the finding but the system's check stays unmet in the report.",
		Configurable: true,
	},
	DatasetControls: &diag.Rule{
		ID: "AIMS-G050", Severity: diag.Error, Refs: []string{"A.7.4", "A.7.5"},
		Title: "Dataset controls missing", Description: "The tier requires datasets with provenance, quality checks and a representativeness review.",
		Why:          "Controls A.7.4 and A.7.5 expect data quality requirements and the provenance of data to be documented; for systems of this tier an auditor will trace the system's datasets back to their origin and ask how quality and representativeness were checked.",
		Fix:          "List the system's `kind: Dataset` ids in `datasets`, and in each Dataset record `provenance.lineage`, `quality.checks` (each with `check`, `result` and `date`) and a `representativeness` block with `assessment`, `reviewed_on` and `reviewed_by`, as the message asks. If the tier truly should not require this, change `settings.tiers.<tier>.requires` in `aims.yaml` (it applies to every system of the tier) rather than overriding; an override hides the finding but the system's check stays unmet in the report.",
		Configurable: true,
	},
	VerificationOrDeployment: &diag.Rule{
		ID: "AIMS-G051", Severity: diag.Error, Refs: []string{"A.6.2.4", "A.6.2.5"},
		Title: "No V&V or deployment approval", Description: "The tier requires validation evidence (type validation_report), and a recorded deployment approval before the deployed stage.",
		Why:          "Controls A.6.2.4 and A.6.2.5 expect verification and validation results and a documented release decision; an auditor will ask what evidence showed the system met its acceptance criteria and who authorised it to go live.",
		Fix:          "Add a `kind: Evidence` with `type: validation_report`, `systems: [<system id>]`, `owner`, `collected` and the report's `path`; for a system at `stage: deployed` add `deployment` with `approved_by`, `approved_on` and `environment`. If the tier truly should not require this, change `settings.tiers.<tier>.requires` in `aims.yaml` (it applies to every system of the tier) rather than overriding; an override hides the finding but the system's check stays unmet in the report.",
		Configurable: true,
	},
	PersonalData: &diag.Rule{
		ID: "AIMS-G052", Severity: diag.Error, Refs: []string{"6.1.4", "A.7.3"},
		Title: "Personal data without DPIA or legal basis", Description: "A system processing personal data needs a legal basis and a DPIA.",
		Why:          "Where an AI system processes personal data, the impact assessment under 6.1.4 and data acquisition under A.7.3 must account for privacy law; an auditor will ask for the legal basis and the data protection impact assessment, and a missing DPIA is often a legal breach as well.",
		Fix:          "Under `privacy` in the AISystem set `legal_basis` (e.g. `\"GDPR Art. 6(1)(b)\"`) and `dpia:` with the id of a current, owned `kind: Evidence` (ideally `type: dpia`); if the system does not in fact process personal data, set `personal_data: false`. An override is honest only if no privacy law applies to you, stated in the reason.",
		Configurable: true,
	},
	SupplierDueDiligence: &diag.Rule{
		ID: "AIMS-G053", Severity: diag.Error, Refs: []string{"A.10.3"},
		Title: "Supplier due diligence missing", Description: "A system built on a supplier's model or service needs that supplier's current, positive due diligence.",
		Why:          "Control A.10.3 expects suppliers' services, products and data to be checked against your responsible-AI approach; a model or service used without current, positive due diligence leaves part of the system outside the AIMS's control.",
		Fix:          "In the `kind: Supplier` named in `suppliers` or `model.supplier`, record `due_diligence` with `performed`, `performed_by`, `result` (`approved` or `conditional`; `rejected` fails), `evidence` and a future `next_review`. If the supplier failed, replace it or record a risk acceptance; an override is not honest while the system depends on it.",
		Configurable: true,
	},
	Prohibited: &diag.Rule{
		ID: "AIMS-G054", Severity: diag.Error, Refs: []string{"A.9.4"},
		Title: "Prohibited AI practice", Description: "A system classed prohibited under the EU AI Act must be retired.",
		Why:          "A system in a practice banned under the EU AI Act cannot be operated lawfully; for the auditor that breaks the commitment to meet applicable requirements and the intended-use control A.9.4, and it puts the certificate at risk.",
		Fix:          "Stop the system and set `stage: retired` on the AISystem; if the classification was wrong, correct `eu_ai_act.class` and give the legal reasoning in `eu_ai_act.basis`. Do not override: running a prohibited system is not something a reason can make acceptable.",
		Configurable: true,
	},
	TierBelowEUClass: &diag.Rule{
		ID: "AIMS-G055", Severity: diag.Warning, Refs: []string{"6.1.4"},
		Title: "Tier below EU AI Act class", Description: "A system classed high-risk under the EU AI Act sits in a tier that requires neither impact assessment nor human oversight.",
		Why:          "A system the EU AI Act classes as high-risk carries legal duties around impact assessment and human oversight; if its internal tier asks for neither, the impact assessment process of 6.1.4 is weaker than the law, and the auditor will see risk tiering that does not match the organisation's own legal analysis.",
		Fix:          "Move the system to a stricter tier (`risk_tier: high`), or add `impact_assessment` and `human_oversight` to that tier's `requires` under `settings.tiers` in `aims.yaml`; if the legal class is wrong, correct `eu_ai_act.class` and `eu_ai_act.basis`. An override is honest only with a reason showing the duties are met elsewhere (e.g. by a deployer under contract).",
		Configurable: true,
	},
	DriftBreached: &diag.Rule{
		ID: "AIMS-G056", Severity: diag.Warning, Refs: []string{"A.6.2.6", "9.1"},
		Title: "Drift threshold breached", Description: "A drift result is beyond the system's threshold and no remediation raised on or after the measurement tracks it (open nonconformity, or unfinished treatment of a robustness, reliability or data-quality risk).",
		Why:          "Drift beyond the system's own threshold means it may no longer behave as validated (A.6.2.6), found by your own monitoring (9.1); an auditor wants to see such signals picked up and acted on.",
		Fix:          "Raise a `kind: Nonconformity` (`source: monitoring`, `systems: [<system id>]`, `detected` on or after the result's `measured` date, `state: open`), or a `kind: Risk` with `source` `robustness`, `reliability` or `data_quality`, the system in `systems`, `identified` on or after the measurement and an unfinished `treatment`; then retrain or recalibrate and commit a new drift result. If the threshold was set too tight, change `monitoring.drift[].threshold` with the reason in the commit; an override is not honest for real drift.",
		Configurable: true,
	},
}

// System is an AI system's standing against what its tier requires.
type System struct {
	ID       string        `json:"id"`
	Title    string        `json:"title"`
	Tier     string        `json:"tier"`
	EUClass  string        `json:"eu_ai_act,omitempty"`
	Stage    string        `json:"stage"`
	Owner    string        `json:"owner"`
	File     string        `json:"file"`
	Checks   []Check       `json:"checks"`
	Results  []MetricCheck `json:"results,omitempty"`
	HighRisk bool          `json:"high_risk"`
}

// Check is one tier requirement and whether the system meets it.
type Check struct {
	Name   string `json:"name"`
	Met    bool   `json:"met"`
	Detail string `json:"detail,omitempty"`
}

// MetricCheck is a measured bias or drift value against its threshold.
type MetricCheck struct {
	Type      string  `json:"type"` // bias or drift
	Metric    string  `json:"metric"`
	Attribute string  `json:"attribute,omitempty"`
	Group     string  `json:"group,omitempty"`
	Value     float64 `json:"value"`
	Threshold float64 `json:"threshold"`
	Direction string  `json:"direction"`
	Breached  bool    `json:"breached"`
	Tracked   bool    `json:"tracked,omitempty"` // a remediation is tracked
	Measured  string  `json:"measured"`
	Evidence  string  `json:"evidence"`
}

// TierRequirement is something a risk tier can require of its AI systems:
// its key in aims.yaml (settings.tiers.NAME.requires), its title in
// reports, the rule that reports a system lacking it, and the check. The
// manifest schema's list of names and the default tiers are tested against
// this table, so a new requirement is one row here plus its check.
type TierRequirement struct {
	Name  string     `json:"name"`
	Title string     `json:"title"`
	Rule  *diag.Rule `json:"-"`
	check func(a *analyzer, c *sysCtx, name string)
}

var tierRequirements = []TierRequirement{
	{"impact_assessment", "Impact assessment", systemRule.ImpactAssessment, (*analyzer).tierImpactAssessment},
	{"bias_testing", "Bias testing", systemRule.BiasTestingUndefined, (*analyzer).tierBiasTesting},
	{"human_oversight", "Human oversight", systemRule.HumanOversight, (*analyzer).tierHumanOversight},
	{"fallback", "Fallback", systemRule.FallbackOrShutdown, (*analyzer).tierFallback},
	{"shutdown_criteria", "Shutdown criteria", systemRule.FallbackOrShutdown, (*analyzer).tierShutdown},
	{"monitoring", "Monitoring", systemRule.Monitoring, (*analyzer).tierMonitoring},
	{"drift_thresholds", "Drift thresholds", systemRule.Monitoring, (*analyzer).tierDrift},
	{"explainability", "Explainability", systemRule.Explainability, (*analyzer).tierExplainability},
	{"robustness_testing", "Robustness testing", systemRule.RobustnessTesting, (*analyzer).tierRobustness},
	{"event_logging", "Event logging", systemRule.EventLogging, (*analyzer).tierLogging},
	{"dataset_provenance", "Dataset provenance", systemRule.DatasetControls, (*analyzer).tierDatasets},
	{"dataset_quality", "Dataset quality", systemRule.DatasetControls, (*analyzer).tierDatasets},
	{"representativeness", "Representativeness", systemRule.DatasetControls, (*analyzer).tierDatasets},
	{"verification", "Verification & validation", systemRule.VerificationOrDeployment, (*analyzer).tierVerification},
	{"deployment_approval", "Deployment approval", systemRule.VerificationOrDeployment, (*analyzer).tierDeployment},
}

// TierRequirements lists what a risk tier can require, in report order.
func TierRequirements() []TierRequirement { return slices.Clone(tierRequirements) }

func tierRequirement(name string) (TierRequirement, bool) {
	i := slices.IndexFunc(tierRequirements, func(t TierRequirement) bool { return t.Name == name })
	if i < 0 {
		return TierRequirement{}, false
	}
	return tierRequirements[i], true
}

// DefaultTiers are the risk tiers in force when aims.yaml defines none:
// what each requires of an AI system, proportional to its risk. Each call
// returns a new map.
func DefaultTiers() map[string]aims.Tier {
	return map[string]aims.Tier{
		"high": {Description: "Significant impact on people's rights, safety or livelihood (e.g. EU AI Act high-risk).", Requires: []string{
			"impact_assessment", "bias_testing", "human_oversight", "fallback", "shutdown_criteria", "monitoring",
			"drift_thresholds", "explainability", "robustness_testing", "event_logging", "dataset_provenance",
			"dataset_quality", "representativeness", "verification", "deployment_approval"}},
		"medium": {Description: "Interacts with people or informs decisions with moderate impact.", Requires: []string{
			"impact_assessment", "human_oversight", "monitoring", "explainability", "event_logging", "dataset_provenance",
			"verification", "deployment_approval"}},
		"low": {Description: "Internal or low-impact use.", Requires: []string{"verification"}},
	}
}

// CheckTitle is the display name of a tier requirement.
func CheckTitle(name string) string {
	if t, ok := tierRequirement(name); ok {
		return t.Title
	}
	return name
}

type sysCtx struct {
	a    *analyzer
	s    *aims.AISystem
	out  *System
	high bool
}

// fail records an unmet requirement: a finding, and a failed check.
func (c *sysCtx) fail(check string, rule *diag.Rule, ptr []any, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	c.a.report(rule, pos(c.s.Doc, ptr...), "system %s (%s tier): %s", c.s.ID, c.s.RiskTier, msg)
	if c.high {
		for _, ref := range rule.Refs {
			c.a.blocking[ref] = true
		}
	}
	c.record(check, false, msg)
}

func (c *sysCtx) record(check string, met bool, detail string) {
	for i := range c.out.Checks {
		if c.out.Checks[i].Name == check {
			if !met {
				c.out.Checks[i].Met = false
				if c.out.Checks[i].Detail == "" {
					c.out.Checks[i].Detail = detail
				} else if detail != "" {
					c.out.Checks[i].Detail += "; " + detail
				}
			}
			return
		}
	}
	c.out.Checks = append(c.out.Checks, Check{Name: check, Met: met, Detail: detail})
}

func (a *analyzer) checkSystems() []System {
	var out []System
	for _, s := range a.m.Systems {
		sys := System{ID: s.ID, Title: s.Name(), Tier: s.RiskTier, EUClass: s.EUClass(), Stage: s.Stage, Owner: s.Owner}
		if s.Doc != nil {
			sys.File = s.Doc.File
		}
		sys.HighRisk = s.RiskTier == "high" || s.EUClass() == "high"
		c := &sysCtx{a: a, s: s, out: &sys, high: sys.HighRisk}
		tier, knownTier := a.opts.Tiers[s.RiskTier]

		if s.EUClass() == "prohibited" && s.Stage != "retired" {
			a.report(systemRule.Prohibited, pos(s.Doc, "eu_ai_act", "class"), "system %s is classed prohibited under the EU AI Act but is at stage %s: retire it", s.ID, s.Stage)
		}
		if s.Stage == "retired" {
			out = append(out, sys)
			continue
		}
		// An unknown tier is link's error (R007); it requires nothing only
		// because it does not exist, so it is not also "below" the class.
		if knownTier && s.EUClass() == "high" && !slices.Contains(tier.Requires, "impact_assessment") && !slices.Contains(tier.Requires, "human_oversight") {
			a.report(systemRule.TierBelowEUClass, pos(s.Doc, "risk_tier"), "system %s is high-risk under the EU AI Act but its tier %q requires neither an impact assessment nor human oversight", s.ID, s.RiskTier)
		}
		a.checkPrivacy(c)
		a.checkSuppliers(c)
		a.checkResults(c)
		for _, req := range tier.Requires {
			c.record(req, true, "")
			if t, ok := tierRequirement(req); ok {
				t.check(a, c, req)
			}
		}
		out = append(out, sys)
	}
	return out
}

// systemIndex lists the records that name each AI system, in file order:
// looking them up by scanning every record per system is quadratic, and a
// large AIMS has thousands of both.
type systemIndex struct {
	impacts         map[string][]*aims.ImpactAssessment
	nonconformities map[string][]*aims.Nonconformity
	risks           map[string][]*aims.Risk
}

func (a *analyzer) systemIndex() *systemIndex {
	if a.byName != nil {
		return a.byName
	}
	x := &systemIndex{impacts: map[string][]*aims.ImpactAssessment{}, nonconformities: map[string][]*aims.Nonconformity{}, risks: map[string][]*aims.Risk{}}
	for _, ia := range a.m.ImpactAssessments {
		x.impacts[ia.System] = append(x.impacts[ia.System], ia)
	}
	for _, n := range a.m.Nonconformities {
		for _, s := range n.Systems { // a repeated id lists it twice: its users only ask whether any matches
			x.nonconformities[s] = append(x.nonconformities[s], n)
		}
	}
	for _, r := range a.m.Risks {
		for _, s := range r.Systems {
			x.risks[s] = append(x.risks[s], r)
		}
	}
	a.byName = x
	return x
}

func (a *analyzer) tierImpactAssessment(c *sysCtx, req string) {
	s := c.s
	found := a.systemIndex().impacts[s.ID]
	if len(found) == 0 {
		c.fail(req, systemRule.ImpactAssessment, nil, "no impact assessment")
		return
	}
	best := a.docSupport(found[0], true)
	for _, ia := range found[1:] {
		if sup := a.docSupport(ia, true); sup.Valid {
			best = sup
		}
	}
	if !best.Valid {
		c.fail(req, systemRule.ImpactAssessment, nil, "impact assessment %s %s", best.ID, best.Note)
	}
}

func (a *analyzer) tierBiasTesting(c *sysCtx, req string) {
	s := c.s
	b := s.BiasTesting
	if b == nil || len(b.ProtectedAttributes) == 0 || len(b.Metrics) == 0 {
		c.fail(req, systemRule.BiasTestingUndefined, []any{"bias_testing"}, "no bias testing defined (protected attributes and metric thresholds)")
		return
	}
	latest, ev := a.latestResult(s.ID, "bias_test")
	switch {
	case latest == nil:
		c.fail(req, systemRule.NoRecentBiasResult, []any{"bias_testing"}, "no bias test result (an Evidence of type bias_test in the aims-result/v1 format) for this system")
	default:
		if age, ok := a.daysSince(latest.Measured); ok && age > a.biasAge {
			c.fail(req, systemRule.NoRecentBiasResult, []any{"bias_testing"}, "latest bias result (%s, measured %s) is %d days old, over the %d-day limit", ev, latest.Measured, age, a.biasAge)
		}
	}
}

func (a *analyzer) tierHumanOversight(c *sysCtx, req string) {
	s := c.s
	h := s.HumanOversight
	switch {
	case h == nil:
		c.fail(req, systemRule.HumanOversight, nil, "no human oversight defined")
	case h.Mode == "none":
		c.fail(req, systemRule.HumanOversight, []any{"human_oversight", "mode"}, "human oversight mode is none")
	case h.Description == "" && len(h.ReviewRequiredWhen) == 0:
		c.fail(req, systemRule.HumanOversight, []any{"human_oversight"}, "human oversight does not say who reviews or when review is required")
	case !says(h.Description) && !slices.ContainsFunc(h.ReviewRequiredWhen, says):
		// A placeholder is no description (see narrative.go).
		c.fail(req, systemRule.HumanOversight, []any{"human_oversight"}, "human oversight holds only placeholders, not who reviews or when review is required")
	}
}

func (a *analyzer) tierFallback(c *sysCtx, req string) {
	s := c.s
	switch {
	case strings.TrimSpace(s.Fallback) == "":
		c.fail(req, systemRule.FallbackOrShutdown, nil, "no fallback defined")
	case !says(s.Fallback):
		c.fail(req, systemRule.FallbackOrShutdown, []any{"fallback"}, "fallback is a placeholder (%q), not a fallback", strings.TrimSpace(s.Fallback))
	}
}

func (a *analyzer) tierShutdown(c *sysCtx, req string) {
	s := c.s
	switch {
	case len(s.ShutdownCriteria) == 0:
		c.fail(req, systemRule.FallbackOrShutdown, nil, "no shutdown criteria defined")
	case !slices.ContainsFunc(s.ShutdownCriteria, says):
		c.fail(req, systemRule.FallbackOrShutdown, []any{"shutdown_criteria"}, "shutdown criteria are placeholders, not criteria")
	}
}

func (a *analyzer) tierMonitoring(c *sysCtx, req string) {
	s := c.s
	if s.Monitoring == nil || len(s.Monitoring.Metrics) == 0 {
		c.fail(req, systemRule.Monitoring, []any{"monitoring"}, "no monitored metrics with thresholds")
	}
}

func (a *analyzer) tierDrift(c *sysCtx, req string) {
	s := c.s
	if s.Monitoring == nil || len(s.Monitoring.Drift) == 0 {
		c.fail(req, systemRule.Monitoring, []any{"monitoring"}, "no drift thresholds")
	}
}

func (a *analyzer) tierExplainability(c *sysCtx, req string) {
	s := c.s
	var missing []string
	if s.Model == nil || s.Model.Type == "" {
		missing = append(missing, "model.type")
	}
	if len(s.Inputs) == 0 {
		missing = append(missing, "inputs")
	}
	if len(s.Outputs) == 0 {
		missing = append(missing, "outputs")
	}
	if s.Explainability == nil || s.Explainability.DecisionLogic == "" {
		missing = append(missing, "explainability.decision_logic")
	}
	if s.Explainability == nil || s.Explainability.UserExplanation == "" {
		missing = append(missing, "explainability.user_explanation")
	}
	if len(missing) > 0 {
		c.fail(req, systemRule.Explainability, []any{"explainability"}, "explainability documentation lacks %s", strings.Join(missing, ", "))
	}
}

func (a *analyzer) tierRobustness(c *sysCtx, req string) {
	s := c.s
	if !a.hasEvidence(s.ID, "robustness_test") {
		c.fail(req, systemRule.RobustnessTesting, nil, "no current robustness test evidence (type robustness_test)")
	}
}

func (a *analyzer) tierLogging(c *sysCtx, req string) {
	s := c.s
	if s.Logging == nil || len(s.Logging.Events) == 0 {
		c.fail(req, systemRule.EventLogging, []any{"logging"}, "no logged events defined")
	}
}

func (a *analyzer) tierDatasets(c *sysCtx, req string) {
	s := c.s
	if len(s.Datasets) == 0 {
		c.fail(req, systemRule.DatasetControls, []any{"datasets"}, "no datasets listed")
		return
	}
	for _, id := range s.Datasets {
		d, ok := a.m.ByID[id].(*aims.Dataset)
		if !ok {
			continue // link reports unknown ids
		}
		switch req {
		case "dataset_provenance":
			if d.Provenance == nil || len(d.Provenance.Lineage) == 0 {
				c.fail(req, systemRule.DatasetControls, []any{"datasets"}, "dataset %s records no provenance", id)
			}
		case "dataset_quality":
			if d.Quality == nil || len(d.Quality.Checks) == 0 {
				c.fail(req, systemRule.DatasetControls, []any{"datasets"}, "dataset %s records no quality checks", id)
			}
		case "representativeness":
			if d.Representativeness == nil {
				c.fail(req, systemRule.DatasetControls, []any{"datasets"}, "dataset %s has no representativeness review", id)
			}
		}
	}
}

func (a *analyzer) tierVerification(c *sysCtx, req string) {
	s := c.s
	if !a.hasEvidence(s.ID, "validation_report") {
		c.fail(req, systemRule.VerificationOrDeployment, nil, "no current verification and validation evidence (type validation_report)")
	}
}

func (a *analyzer) tierDeployment(c *sysCtx, req string) {
	s := c.s
	if s.Stage == "deployed" && s.Deployment == nil {
		c.fail(req, systemRule.VerificationOrDeployment, []any{"stage"}, "deployed without a recorded deployment approval")
	}
}

func (a *analyzer) checkPrivacy(c *sysCtx) {
	p := c.s.Privacy
	if p == nil || !p.PersonalData {
		return
	}
	if p.LegalBasis == "" {
		c.fail("privacy", systemRule.PersonalData, []any{"privacy"}, "processes personal data without a legal basis")
	}
	switch sup, ok := a.evidence[p.DPIA]; {
	case p.DPIA == "":
		c.fail("privacy", systemRule.PersonalData, []any{"privacy"}, "processes personal data without a DPIA")
	case ok && !sup.Valid:
		c.fail("privacy", systemRule.PersonalData, []any{"privacy", "dpia"}, "its DPIA %s does not count: %s", p.DPIA, sup.Note)
	}
	c.record("privacy", true, "")
}

func (a *analyzer) checkSuppliers(c *sysCtx) {
	ids := slices.Clone(c.s.Suppliers)
	if c.s.Model != nil && c.s.Model.Supplier != "" && !slices.Contains(ids, c.s.Model.Supplier) {
		ids = append(ids, c.s.Model.Supplier)
	}
	for _, id := range ids {
		sup, ok := a.m.ByID[id].(*aims.Supplier)
		if !ok {
			continue
		}
		dd := sup.DueDiligence
		switch {
		case dd == nil:
			c.fail("suppliers", systemRule.SupplierDueDiligence, []any{"suppliers"}, "supplier %s has no due diligence", id)
		case dd.Result == "rejected":
			c.fail("suppliers", systemRule.SupplierDueDiligence, []any{"suppliers"}, "supplier %s failed due diligence", id)
		case a.diligenceOverdue(sup):
			c.fail("suppliers", systemRule.SupplierDueDiligence, []any{"suppliers"}, "due diligence of supplier %s was due for renewal on %s", id, dd.NextReview)
		default:
			c.record("suppliers", true, "")
		}
	}
}

// SupplierVerdict is a supplier judged: its due diligence is overdue for
// renewal once its next review date has passed.
type SupplierVerdict struct {
	ID               string `json:"id"`
	DiligenceOverdue bool   `json:"due_diligence_overdue"`
}

// Supplier returns the verdict on the supplier with id.
func (r *Result) Supplier(id string) (SupplierVerdict, bool) {
	return find(r.Suppliers, id, func(v SupplierVerdict) string { return v.ID })
}

func (a *analyzer) diligenceOverdue(s *aims.Supplier) bool {
	dd := s.DueDiligence
	return dd != nil && dd.NextReview != "" && a.past(dd.NextReview)
}

func (a *analyzer) judgeSuppliers() {
	for _, s := range a.m.Suppliers {
		a.suppliers = append(a.suppliers, SupplierVerdict{ID: s.ID, DiligenceOverdue: a.diligenceOverdue(s)})
	}
}

// systemEvidence lists valid evidence of a type about a system. The index
// is built once: scanning all evidence per system is quadratic, and large
// AIMSs have thousands of both.
func (a *analyzer) systemEvidence(system, typ string) []*aims.Evidence {
	if a.bySystem == nil {
		a.bySystem = map[[2]string][]*aims.Evidence{}
		for _, e := range a.m.Evidence {
			if !a.evidence[e.ID].Valid {
				continue
			}
			for _, s := range e.Systems {
				k := [2]string{s, e.Type}
				a.bySystem[k] = append(a.bySystem[k], e)
			}
		}
	}
	return a.bySystem[[2]string{system, typ}]
}

func (a *analyzer) hasEvidence(system, typ string) bool {
	return len(a.systemEvidence(system, typ)) > 0
}

// latestResult is the most recently measured result of a type for a system.
func (a *analyzer) latestResult(system, typ string) (*aims.Result, string) {
	var best *aims.Result
	var id string
	for _, e := range a.systemEvidence(system, typ) {
		r := a.m.Results[e.ID]
		if r != nil && (best == nil || r.Measured > best.Measured || r.Measured == best.Measured && e.ID > id) {
			best, id = r, e.ID
		}
	}
	return best, id
}

// checkResults compares the latest bias and drift results with the
// system's thresholds. A breach is an error unless a remediation is tracked
// by an open nonconformity or an unfinished risk treatment naming the system.
func (a *analyzer) checkResults(c *sysCtx) {
	s := c.s
	kinds := []struct {
		evType, label string
		rule          *diag.Rule
		source        string
		thresholds    []aims.Threshold
	}{
		{"bias_test", "bias", systemRule.BiasBreached, "fairness", nil},
		{"drift_report", "drift", systemRule.DriftBreached, "robustness", nil},
	}
	if s.BiasTesting != nil {
		kinds[0].thresholds = s.BiasTesting.Metrics
	}
	if s.Monitoring != nil {
		kinds[1].thresholds = s.Monitoring.Drift
	}
	for _, k := range kinds {
		r, evID := a.latestResult(s.ID, k.evType)
		if r == nil {
			continue
		}
		tracked := a.remediationTracked(s.ID, k.source, r.Measured)
		for i, v := range r.Results {
			th, ok := findThreshold(k.thresholds, v)
			if !ok {
				continue
			}
			mc := MetricCheck{Type: k.label, Metric: v.Metric, Attribute: v.Attribute, Group: v.Group, Value: v.Value,
				Threshold: th.Threshold, Direction: dir(th.Direction), Breached: th.Breached(v.Value), Measured: r.Measured, Evidence: evID}
			if mc.Breached {
				mc.Tracked = tracked
				if !tracked {
					group := v.Attribute
					if v.Group != "" {
						group += "=" + v.Group
					}
					if group != "" {
						group = " for " + group
					}
					word := "above"
					if mc.Direction == "at_least" {
						word = "below"
					}
					p := r.Doc.ValueAt(load.Pointer("results", i, "value"))
					a.report(k.rule, p, "system %s: %s %s is %g%s, %s the threshold %g (no open nonconformity or %s risk treatment tracks it)",
						s.ID, k.label, v.Metric, v.Value, group, word, th.Threshold, k.source)
					if c.high && k.rule == systemRule.BiasBreached {
						for _, ref := range k.rule.Refs {
							a.blocking[ref] = true
						}
					}
				}
			}
			c.out.Results = append(c.out.Results, mc)
		}
	}
}

func findThreshold(ts []aims.Threshold, v aims.MetricValue) (aims.Threshold, bool) {
	for _, t := range ts {
		if t.Metric == v.Metric {
			return t, true
		}
	}
	if v.Threshold != nil {
		return aims.Threshold{Metric: v.Metric, Threshold: *v.Threshold, Direction: v.Direction}, true
	}
	return aims.Threshold{}, false
}

func dir(d string) string {
	if d == "" {
		return "at_most"
	}
	return d
}

// remediationTracked: an open nonconformity naming the system, or an
// unfinished treatment of a risk of the matching source naming it, raised on
// or after the measurement. Anything older was recorded before the breach
// was known, so it does not show that anyone acted on it.
func (a *analyzer) remediationTracked(system, source, measured string) bool {
	x := a.systemIndex()
	for _, n := range x.nonconformities[system] {
		if n.Open() && n.Detected >= measured {
			return true
		}
	}
	sources := map[string][]string{"fairness": {"fairness"}, "robustness": {"robustness", "reliability", "data_quality"}}[source]
	for _, r := range x.risks[system] {
		if r.State != "closed" && slices.Contains(sources, r.Source) &&
			r.Treatment != nil && r.Treatment.Progress != "done" && r.Identified >= measured {
			return true
		}
	}
	return false
}
