package gap

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/load"
)

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

// checkTitles name tier requirements in reports.
var checkTitles = map[string]string{
	"impact_assessment":   "Impact assessment",
	"bias_testing":        "Bias testing",
	"human_oversight":     "Human oversight",
	"fallback":            "Fallback",
	"shutdown_criteria":   "Shutdown criteria",
	"monitoring":          "Monitoring",
	"drift_thresholds":    "Drift thresholds",
	"explainability":      "Explainability",
	"robustness_testing":  "Robustness testing",
	"event_logging":       "Event logging",
	"dataset_provenance":  "Dataset provenance",
	"dataset_quality":     "Dataset quality",
	"representativeness":  "Representativeness",
	"verification":        "Verification & validation",
	"deployment_approval": "Deployment approval",
}

// CheckTitle is the display name of a tier requirement.
func CheckTitle(name string) string {
	if t, ok := checkTitles[name]; ok {
		return t
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
func (c *sysCtx) fail(check, rule string, ptr []any, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	c.a.report(rule, pos(c.s.Doc, ptr...), "system %s (%s tier): %s", c.s.ID, c.s.RiskTier, msg)
	if c.high {
		if r, ok := LookupRule(rule); ok {
			for _, ref := range r.Refs {
				c.a.blocking[ref] = true
			}
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
		tier := a.opts.Tiers[s.RiskTier]

		if s.EUClass() == "prohibited" && s.Stage != "retired" {
			a.report("AIMS-G054", pos(s.Doc, "eu_ai_act", "class"), "system %s is classed prohibited under the EU AI Act but is at stage %s: retire it", s.ID, s.Stage)
		}
		if s.Stage == "retired" {
			out = append(out, sys)
			continue
		}
		if s.EUClass() == "high" && !slices.Contains(tier.Requires, "impact_assessment") && !slices.Contains(tier.Requires, "human_oversight") {
			a.report("AIMS-G055", pos(s.Doc, "risk_tier"), "system %s is high-risk under the EU AI Act but its tier %q requires neither an impact assessment nor human oversight", s.ID, s.RiskTier)
		}
		a.checkPrivacy(c)
		a.checkSuppliers(c)
		a.checkResults(c)
		for _, req := range tier.Requires {
			c.record(req, true, "")
			a.checkRequirement(c, req)
		}
		out = append(out, sys)
	}
	return out
}

func (a *analyzer) checkRequirement(c *sysCtx, req string) {
	s := c.s
	switch req {
	case "impact_assessment":
		var found []*aims.ImpactAssessment
		for _, ia := range a.m.ImpactAssessments {
			if ia.System == s.ID {
				found = append(found, ia)
			}
		}
		if len(found) == 0 {
			c.fail(req, "AIMS-G040", nil, "no impact assessment")
			return
		}
		best := a.docSupport(found[0], true)
		for _, ia := range found[1:] {
			if sup := a.docSupport(ia, true); sup.Valid {
				best = sup
			}
		}
		if !best.Valid {
			c.fail(req, "AIMS-G040", nil, "impact assessment %s %s", best.ID, best.Note)
		}
	case "bias_testing":
		b := s.BiasTesting
		if b == nil || len(b.ProtectedAttributes) == 0 || len(b.Metrics) == 0 {
			c.fail(req, "AIMS-G041", []any{"bias_testing"}, "no bias testing defined (protected attributes and metric thresholds)")
			return
		}
		latest, ev := a.latestResult(s.ID, "bias_test")
		switch {
		case latest == nil:
			c.fail(req, "AIMS-G042", []any{"bias_testing"}, "no bias test result (an Evidence of type bias_test in the aims-result/v1 format) for this system")
		default:
			if age, ok := a.daysSince(latest.Measured); ok && age > a.biasAge {
				c.fail(req, "AIMS-G042", []any{"bias_testing"}, "latest bias result (%s, measured %s) is %d days old, over the %d-day limit", ev, latest.Measured, age, a.biasAge)
			}
		}
	case "human_oversight":
		h := s.HumanOversight
		switch {
		case h == nil:
			c.fail(req, "AIMS-G044", nil, "no human oversight defined")
		case h.Mode == "none":
			c.fail(req, "AIMS-G044", []any{"human_oversight", "mode"}, "human oversight mode is none")
		case h.Description == "" && len(h.ReviewRequiredWhen) == 0:
			c.fail(req, "AIMS-G044", []any{"human_oversight"}, "human oversight does not say who reviews or when review is required")
		}
	case "fallback":
		if strings.TrimSpace(s.Fallback) == "" {
			c.fail(req, "AIMS-G045", nil, "no fallback defined")
		}
	case "shutdown_criteria":
		if len(s.ShutdownCriteria) == 0 {
			c.fail(req, "AIMS-G045", nil, "no shutdown criteria defined")
		}
	case "monitoring":
		if s.Monitoring == nil || len(s.Monitoring.Metrics) == 0 {
			c.fail(req, "AIMS-G046", []any{"monitoring"}, "no monitored metrics with thresholds")
		}
	case "drift_thresholds":
		if s.Monitoring == nil || len(s.Monitoring.Drift) == 0 {
			c.fail(req, "AIMS-G046", []any{"monitoring"}, "no drift thresholds")
		}
	case "explainability":
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
			c.fail(req, "AIMS-G047", []any{"explainability"}, "explainability documentation lacks %s", strings.Join(missing, ", "))
		}
	case "robustness_testing":
		if !a.hasEvidence(s.ID, "robustness_test") {
			c.fail(req, "AIMS-G048", nil, "no current robustness test evidence (type robustness_test)")
		}
	case "event_logging":
		if s.Logging == nil || len(s.Logging.Events) == 0 {
			c.fail(req, "AIMS-G049", []any{"logging"}, "no logged events defined")
		}
	case "dataset_provenance", "dataset_quality", "representativeness":
		if len(s.Datasets) == 0 {
			c.fail(req, "AIMS-G050", []any{"datasets"}, "no datasets listed")
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
					c.fail(req, "AIMS-G050", []any{"datasets"}, "dataset %s records no provenance", id)
				}
			case "dataset_quality":
				if d.Quality == nil || len(d.Quality.Checks) == 0 {
					c.fail(req, "AIMS-G050", []any{"datasets"}, "dataset %s records no quality checks", id)
				}
			case "representativeness":
				if d.Representativeness == nil {
					c.fail(req, "AIMS-G050", []any{"datasets"}, "dataset %s has no representativeness review", id)
				}
			}
		}
	case "verification":
		if !a.hasEvidence(s.ID, "validation_report") {
			c.fail(req, "AIMS-G051", nil, "no current verification and validation evidence (type validation_report)")
		}
	case "deployment_approval":
		if s.Stage == "deployed" && s.Deployment == nil {
			c.fail(req, "AIMS-G051", []any{"stage"}, "deployed without a recorded deployment approval")
		}
	}
}

func (a *analyzer) checkPrivacy(c *sysCtx) {
	p := c.s.Privacy
	if p == nil || !p.PersonalData {
		return
	}
	if p.LegalBasis == "" {
		c.fail("privacy", "AIMS-G052", []any{"privacy"}, "processes personal data without a legal basis")
	}
	switch sup, ok := a.evidence[p.DPIA]; {
	case p.DPIA == "":
		c.fail("privacy", "AIMS-G052", []any{"privacy"}, "processes personal data without a DPIA")
	case ok && !sup.Valid:
		c.fail("privacy", "AIMS-G052", []any{"privacy", "dpia"}, "its DPIA %s does not count: %s", p.DPIA, sup.Note)
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
			c.fail("suppliers", "AIMS-G053", []any{"suppliers"}, "supplier %s has no due diligence", id)
		case dd.Result == "rejected":
			c.fail("suppliers", "AIMS-G053", []any{"suppliers"}, "supplier %s failed due diligence", id)
		case a.diligenceOverdue(sup):
			c.fail("suppliers", "AIMS-G053", []any{"suppliers"}, "due diligence of supplier %s was due for renewal on %s", id, dd.NextReview)
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
		evType, label, rule, source string
		thresholds                  []aims.Threshold
	}{
		{"bias_test", "bias", "AIMS-G043", "fairness", nil},
		{"drift_report", "drift", "AIMS-G056", "robustness", nil},
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
					if c.high && k.rule == "AIMS-G043" {
						for _, ref := range ruleByID[k.rule].Refs {
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
	for _, n := range a.m.Nonconformities {
		if n.Open() && slices.Contains(n.Systems, system) && n.Detected >= measured {
			return true
		}
	}
	sources := map[string][]string{"fairness": {"fairness"}, "robustness": {"robustness", "reliability", "data_quality"}}[source]
	for _, r := range a.m.Risks {
		if r.State != "closed" && slices.Contains(r.Systems, system) && slices.Contains(sources, r.Source) &&
			r.Treatment != nil && r.Treatment.Progress != "done" && r.Identified >= measured {
			return true
		}
	}
	return false
}
