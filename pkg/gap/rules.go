package gap

import (
	"slices"

	"github.com/aims-dev/aims/pkg/diag"
)

// Rule is a check with a stable id. Refs are the requirements it protects; a
// finding of severity error counts against them.
type Rule struct {
	ID           string        `json:"id"`
	Severity     diag.Severity `json:"severity"`
	Refs         []string      `json:"refs"`
	Title        string        `json:"title"`
	Description  string        `json:"description"`
	Configurable bool          `json:"configurable"` // may be overridden in aims.yaml
}

// Validation rules come from earlier stages; they are listed here so `aims
// rules`, docs and SARIF describe every id aims can print. They cannot be
// switched off: a document that does not parse cannot be analysed.
var validationRules = []Rule{
	{ID: "AIMS-L001", Severity: diag.Error, Refs: []string{"7.5.2"}, Title: "YAML syntax error", Description: "The file is not valid YAML."},
	{ID: "AIMS-L002", Severity: diag.Error, Refs: []string{"7.5.2"}, Title: "Malformed structure", Description: "Duplicate keys, non-string keys, nesting or alias expansion beyond limits, or a document that is not a mapping."},
	{ID: "AIMS-L003", Severity: diag.Error, Refs: []string{"7.5.1"}, Title: "Not an AIMS document", Description: "A YAML document under documents.include has no apiVersion or kind. Exclude non-AIMS paths under documents.exclude."},
	{ID: "AIMS-L005", Severity: diag.Warning, Refs: []string{"7.5.3"}, Title: "AIMS document not checked", Description: "A file that looks like an AIMS document (its kind is an AIMS kind) is not read as one: it matches documents.exclude, or it has no apiVersion and lies outside documents.include."},
	{ID: "AIMS-L004", Severity: diag.Error, Refs: []string{"7.5.3"}, Title: "Unreadable file", Description: "A binary, non-UTF-8, oversized or unreadable file."},
	{ID: "AIMS-Y001", Severity: diag.Warning, Title: "YAML 1.1 boolean", Description: "An unquoted yes/no/on/off is a string to aims but a boolean to YAML 1.1 tools; quote it.", Configurable: true},
	{ID: "AIMS-Y002", Severity: diag.Warning, Title: "Clause id written as a number", Description: "An unquoted clause id such as 7.4 is a number to YAML; aims reads it as the id, other tools do not. Quote it.", Configurable: true},
	{ID: "AIMS-S001", Severity: diag.Error, Refs: []string{"7.5.2"}, Title: "Unknown document header", Description: "apiVersion or kind is missing or unknown."},
	{ID: "AIMS-S002", Severity: diag.Error, Refs: []string{"7.5.2"}, Title: "Unknown field", Description: "A field the schema does not define (often a typo)."},
	{ID: "AIMS-S003", Severity: diag.Error, Refs: []string{"7.5.2"}, Title: "Missing required field", Description: "A field the schema requires is absent."},
	{ID: "AIMS-S004", Severity: diag.Error, Refs: []string{"7.5.2"}, Title: "Wrong type", Description: "A value of the wrong type (text for a number, a list for a mapping...)."},
	{ID: "AIMS-S005", Severity: diag.Error, Refs: []string{"7.5.2"}, Title: "Value not allowed", Description: "A value outside its allowed set, pattern, range or length."},
	{ID: "AIMS-S006", Severity: diag.Error, Refs: []string{"7.5.2"}, Title: "Invalid date", Description: "A date that is not YYYY-MM-DD."},
	{ID: "AIMS-R001", Severity: diag.Error, Refs: []string{"7.5.2"}, Title: "Duplicate id", Description: "Two documents share an id; both places are named."},
	{ID: "AIMS-R002", Severity: diag.Error, Refs: []string{"7.5.2"}, Title: "Unknown reference", Description: "A reference to an id that no document defines."},
	{ID: "AIMS-R003", Severity: diag.Error, Refs: []string{"7.5.2"}, Title: "Reference to the wrong kind", Description: "A reference names a document of the wrong kind (an owner that is not a Person or Role, ...)."},
	{ID: "AIMS-R004", Severity: diag.Error, Refs: []string{"6.1.3"}, Title: "Unknown clause or control", Description: "A clause or Annex A control id that is not in ISO/IEC 42001:2023."},
	{ID: "AIMS-R005", Severity: diag.Error, Refs: []string{"7.5.3"}, Title: "Evidence file missing", Description: "An evidence path that does not exist, is a folder or a symlink, or leaves the AIMS root."},
	{ID: "AIMS-R006", Severity: diag.Error, Refs: []string{"4.4"}, Title: "Manifest problem", Description: "aims.yaml is missing its Manifest, holds more than one, or a Manifest is elsewhere."},
	{ID: "AIMS-R007", Severity: diag.Error, Refs: []string{"6.1.2"}, Title: "Unknown risk tier", Description: "An AI system's risk tier is not defined in aims.yaml (default tiers: high, medium, low)."},
	{ID: "AIMS-C001", Severity: diag.Error, Title: "Invalid rule override", Description: "aims.yaml overrides a rule that does not exist or cannot be changed."},
}

// gapRules are the checks of this package.
var gapRules = []Rule{
	// Context, leadership, documents.
	{ID: "AIMS-G001", Severity: diag.Error, Refs: []string{"4.3"}, Title: "No approved scope", Description: "The AIMS needs an approved Scope document stating its boundaries and what is in and out."},
	{ID: "AIMS-G002", Severity: diag.Error, Refs: []string{"5.2", "A.2.2"}, Title: "No approved AI policy", Description: "A Policy of type ai_policy must be approved (approved_by, approved_on, status approved)."},
	{ID: "AIMS-G003", Severity: diag.Error, Refs: []string{"5.3", "A.3.2"}, Title: "No AIMS roles", Description: "Roles with responsibilities must be defined, each held by a person."},
	{ID: "AIMS-G004", Severity: diag.Warning, Refs: []string{"7.5.2"}, Title: "Document overdue for review", Description: "A document's next_review date has passed."},
	{ID: "AIMS-G005", Severity: diag.Error, Refs: []string{"7.5.2"}, Title: "Approval incomplete", Description: "A document marked approved lacks approved_by or approved_on."},
	{ID: "AIMS-G006", Severity: diag.Info, Refs: []string{"7.5.2"}, Title: "Template TODOs remain", Description: "A document still holds TODO placeholders; it evidences nothing until they are replaced."},
	{ID: "AIMS-G007", Severity: diag.Error, Refs: []string{"6.1.1", "6.1.2"}, Title: "No risk criteria", Description: "An approved RiskCriteria document must define the scales and the acceptance threshold."},
	{ID: "AIMS-G008", Severity: diag.Warning, Refs: []string{"5.3"}, Title: "Role held by nobody", Description: "A role that no person holds cannot carry its responsibilities."},
	// Statement of Applicability.
	{ID: "AIMS-G010", Severity: diag.Error, Refs: []string{"6.1.3"}, Title: "No Statement of Applicability", Description: "An Applicability document must list every Annex A control."},
	{ID: "AIMS-G011", Severity: diag.Error, Refs: []string{"6.1.3"}, Title: "Control missing from the SoA", Description: "Every one of the 38 Annex A controls must appear in the Statement of Applicability."},
	{ID: "AIMS-G012", Severity: diag.Error, Refs: []string{"6.1.3"}, Title: "Control listed twice in the SoA", Description: "Each control appears once, so its decision is unambiguous."},
	{ID: "AIMS-G013", Severity: diag.Error, Refs: []string{"6.1.3"}, Title: "Exclusion without justification", Description: "A control marked not applicable needs a written justification."},
	{ID: "AIMS-G014", Severity: diag.Error, Refs: []string{"6.1.3", "8.3"}, Title: "Excluded control used in a treatment", Description: "A control that a risk treatment or impact-assessment mitigation relies on cannot be excluded."},
	{ID: "AIMS-G015", Severity: diag.Warning, Refs: []string{"6.1.3"}, Title: "Implemented control without evidence", Description: "A control recorded as implemented or partial must list the evidence that shows it."},
	{ID: "AIMS-G016", Severity: diag.Warning, Refs: []string{"6.1.3"}, Title: "Applicable control without status", Description: "An applicable control needs an implementation status."},
	{ID: "AIMS-G017", Severity: diag.Warning, Refs: []string{"6.1.3"}, Title: "SoA evidence does not claim the control", Description: "An SoA row cites evidence whose satisfies does not list that control: one of the two is probably wrong, and the trace from evidence to control is broken."},
	// Evidence.
	{ID: "AIMS-G020", Severity: diag.Error, Refs: []string{"7.5.3"}, Title: "Stale evidence", Description: "Evidence past its valid_until, review interval or the maximum age in aims.yaml: a warning during the grace period, then an error. Stale evidence supports nothing."},
	{ID: "AIMS-G021", Severity: diag.Warning, Refs: []string{"7.5.2"}, Title: "Evidence without owner", Description: "Evidence needs an owner to count."},
	{ID: "AIMS-G022", Severity: diag.Warning, Refs: []string{"7.5.2"}, Title: "Evidence without date", Description: "Evidence without a collected date: its age is taken from git history when available, else unknown (and it does not count)."},
	// Risks.
	{ID: "AIMS-G030", Severity: diag.Error, Refs: []string{"6.1.3", "8.3"}, Title: "Risk above threshold untreated", Description: "A risk scoring above the acceptance threshold needs a treatment."},
	{ID: "AIMS-G031", Severity: diag.Error, Refs: []string{"6.1.3"}, Title: "Treatment without controls", Description: "A mitigate, avoid or transfer treatment must name the Annex A controls it relies on."},
	{ID: "AIMS-G032", Severity: diag.Warning, Refs: []string{"8.3"}, Title: "Residual risk not evaluated", Description: "A treated risk needs its residual likelihood and impact."},
	{ID: "AIMS-G033", Severity: diag.Error, Refs: []string{"6.1.3"}, Title: "Risk accepted without approval", Description: "A risk accepted as it is, or whose residual score is above the threshold, needs acceptance by an approver."},
	{ID: "AIMS-G034", Severity: diag.Error, Refs: []string{"8.2"}, Title: "Risk review overdue", Description: "A risk's next_review date has passed."},
	{ID: "AIMS-G035", Severity: diag.Error, Refs: []string{"8.3"}, Title: "Treatment plan overdue", Description: "A treatment plan is past its due date and not done."},
	// AI systems, proportional to risk tier.
	{ID: "AIMS-G040", Severity: diag.Error, Refs: []string{"6.1.4", "8.4", "A.5.2", "A.5.3"}, Title: "Impact assessment missing or not current", Description: "The system's tier requires an approved, current impact assessment."},
	{ID: "AIMS-G041", Severity: diag.Error, Refs: []string{"A.5.4", "A.6.2.4"}, Title: "Bias testing not defined", Description: "The tier requires bias testing across named protected attributes with metric thresholds."},
	{ID: "AIMS-G042", Severity: diag.Error, Refs: []string{"A.5.4", "9.1"}, Title: "No recent bias result", Description: "The tier requires a bias_test result (aims-result/v1) for the system, recent enough (settings.bias_result_max_age_days)."},
	{ID: "AIMS-G043", Severity: diag.Error, Refs: []string{"A.5.4", "9.1"}, Title: "Bias threshold breached", Description: "A bias result is beyond the system's threshold and no remediation is tracked: an open nonconformity naming the system, or an unfinished treatment of a fairness risk naming it, raised on or after the measurement."},
	{ID: "AIMS-G044", Severity: diag.Error, Refs: []string{"A.9.4"}, Title: "Human oversight not defined", Description: "The tier requires a human oversight mode and when a person must review."},
	{ID: "AIMS-G045", Severity: diag.Error, Refs: []string{"A.6.2.6"}, Title: "Fallback or shutdown criteria missing", Description: "The tier requires a fallback and criteria for shutting the system down."},
	{ID: "AIMS-G046", Severity: diag.Error, Refs: []string{"A.6.2.6", "9.1"}, Title: "Monitoring not defined", Description: "The tier requires monitored metrics with thresholds, and drift thresholds where required."},
	{ID: "AIMS-G047", Severity: diag.Error, Refs: []string{"A.6.2.7", "A.8.2"}, Title: "Explainability documentation incomplete", Description: "The tier requires model type, inputs, outputs, decision logic and a user-facing explanation."},
	{ID: "AIMS-G048", Severity: diag.Error, Refs: []string{"A.6.2.4"}, Title: "No robustness testing", Description: "The tier requires adversarial robustness test evidence (type robustness_test) for the system."},
	{ID: "AIMS-G049", Severity: diag.Error, Refs: []string{"A.6.2.8"}, Title: "Event logging not defined", Description: "The tier requires the events the system logs and their retention."},
	{ID: "AIMS-G050", Severity: diag.Error, Refs: []string{"A.7.4", "A.7.5"}, Title: "Dataset controls missing", Description: "The tier requires datasets with provenance, quality checks and a representativeness review."},
	{ID: "AIMS-G051", Severity: diag.Error, Refs: []string{"A.6.2.4", "A.6.2.5"}, Title: "No V&V or deployment approval", Description: "The tier requires validation evidence (type validation_report), and a recorded deployment approval before the deployed stage."},
	{ID: "AIMS-G052", Severity: diag.Error, Refs: []string{"6.1.4", "A.7.3"}, Title: "Personal data without DPIA or legal basis", Description: "A system processing personal data needs a legal basis and a DPIA."},
	{ID: "AIMS-G053", Severity: diag.Error, Refs: []string{"A.10.3"}, Title: "Supplier due diligence missing", Description: "A system built on a supplier's model or service needs that supplier's current, positive due diligence."},
	{ID: "AIMS-G054", Severity: diag.Error, Refs: []string{"A.9.4"}, Title: "Prohibited AI practice", Description: "A system classed prohibited under the EU AI Act must be retired."},
	{ID: "AIMS-G055", Severity: diag.Warning, Refs: []string{"6.1.4"}, Title: "Tier below EU AI Act class", Description: "A system classed high-risk under the EU AI Act sits in a tier that requires neither impact assessment nor human oversight."},
	{ID: "AIMS-G056", Severity: diag.Warning, Refs: []string{"A.6.2.6", "9.1"}, Title: "Drift threshold breached", Description: "A drift result is beyond the system's threshold and no remediation raised on or after the measurement tracks it (open nonconformity, or unfinished treatment of a robustness, reliability or data-quality risk)."},
	{ID: "AIMS-G057", Severity: diag.Warning, Refs: []string{"A.7.4"}, Title: "Failed data quality check", Description: "A dataset's latest quality check failed."},
	// Evaluation.
	{ID: "AIMS-G060", Severity: diag.Error, Refs: []string{"9.2.1"}, Title: "No recent internal audit", Description: "An internal audit must be completed within the audit cycle (settings.audit_cycle_months)."},
	{ID: "AIMS-G061", Severity: diag.Error, Refs: []string{"9.2.2"}, Title: "Audit programme incomplete", Description: "Audits completed within the programme period must together cover every clause 4-10."},
	{ID: "AIMS-G062", Severity: diag.Warning, Refs: []string{"9.2.2"}, Title: "Auditor independence not shown", Description: "An audit completed within the programme period must record an auditor independent of the area audited."},
	{ID: "AIMS-G063", Severity: diag.Error, Refs: []string{"10.2"}, Title: "Audit finding without nonconformity", Description: "A major or minor audit finding must raise a Nonconformity."},
	{ID: "AIMS-G064", Severity: diag.Error, Refs: []string{"9.3.1"}, Title: "No recent management review", Description: "A management review must be held within the review cycle (settings.review_cycle_months)."},
	{ID: "AIMS-G065", Severity: diag.Warning, Refs: []string{"9.3.2"}, Title: "Review inputs missing", Description: "A management review in the current review cycle must cover the required inputs (previous actions, context changes, interested parties, nonconformities, monitoring results, audit results, objectives, risks, opportunities)."},
	{ID: "AIMS-G066", Severity: diag.Warning, Refs: []string{"9.3.3"}, Title: "Review action overdue", Description: "An action from a management review is past due and not done."},
	// Improvement.
	{ID: "AIMS-G067", Severity: diag.Warning, Refs: []string{"9.2.2"}, Title: "Planned audit overdue", Description: "An audit still marked planned after its date: record it as completed, or re-plan it."},
	{ID: "AIMS-G070", Severity: diag.Error, Refs: []string{"10.2"}, Title: "Nonconformity without root cause or action", Description: "A nonconformity needs a root cause and corrective actions (a warning in its first 30 days)."},
	{ID: "AIMS-G071", Severity: diag.Error, Refs: []string{"10.2"}, Title: "Nonconformity overdue", Description: "An open nonconformity or one of its corrective actions is past its due date."},
	{ID: "AIMS-G072", Severity: diag.Warning, Refs: []string{"10.1", "10.2"}, Title: "Closure without effectiveness review", Description: "A closed nonconformity needs a review showing its corrective actions worked."},
	// Objectives.
	{ID: "AIMS-G080", Severity: diag.Error, Refs: []string{"6.2"}, Title: "No AI objectives", Description: "The AIMS needs measurable, owned AI objectives."},
	{ID: "AIMS-G081", Severity: diag.Warning, Refs: []string{"6.2"}, Title: "Objective overdue", Description: "An objective is past its due date and not achieved."},
	{ID: "AIMS-G082", Severity: diag.Warning, Refs: []string{"9.1"}, Title: "Objective never measured", Description: "An objective has no measurements."},
}

// Rules returns every rule aims can report, sorted by id.
func Rules() []Rule {
	all := append(slices.Clone(validationRules), gapRules...)
	slices.SortFunc(all, func(a, b Rule) int { return compareIDs(a.ID, b.ID) })
	return all
}

func init() {
	for i := range gapRules {
		gapRules[i].Configurable = true
	}
	for _, r := range Rules() {
		ruleByID[r.ID] = r
	}
}

var ruleByID = map[string]Rule{}

// LookupRule returns the rule with id.
func LookupRule(id string) (Rule, bool) {
	r, ok := ruleByID[id]
	return r, ok
}

func compareIDs(a, b string) int {
	if a < b {
		return -1
	}
	if a > b {
		return 1
	}
	return 0
}
