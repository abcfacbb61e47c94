package mlbom

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/diag"
)

// Options tune the BOM.
type Options struct {
	// Systems are the AI system ids to export, in order; none means all.
	Systems []string
	// Now is the BOM's timestamp.
	Now time.Time
	// ToolVersion is the aims version named as the BOM's tool.
	ToolVersion string
}

// Build makes the BOM. An unknown system id is an error with a suggestion.
func Build(m *aims.Model, opts Options) (*cdx.BOM, error) {
	systems, err := pick(m, opts.Systems)
	if err != nil {
		return nil, err
	}
	bom := cdx.NewBOM()
	bom.Metadata = &cdx.Metadata{
		Timestamp: opts.Now.UTC().Format(time.RFC3339),
		Tools: &cdx.ToolsChoice{Components: &[]cdx.Component{{
			Type: cdx.ComponentTypeApplication, Name: "aims", Version: opts.ToolVersion,
		}}},
	}
	if m.Manifest != nil && m.Manifest.Organization.Name != "" {
		bom.Metadata.Manufacturer = &cdx.OrganizationalEntity{Name: m.Manifest.Organization.Name}
		if w := m.Manifest.Organization.Website; w != "" {
			bom.Metadata.Manufacturer.URL = &[]string{w}
		}
	}

	var comps []cdx.Component
	var deps []cdx.Dependency
	used := map[string]bool{}
	for _, s := range systems {
		comps = append(comps, system(m, s))
		var on []string
		for _, d := range s.Datasets {
			if _, ok := m.ByID[d].(*aims.Dataset); ok {
				on = append(on, d)
				used[d] = true
			}
		}
		deps = append(deps, cdx.Dependency{Ref: s.ID, Dependencies: &on})
	}
	for _, d := range m.Datasets {
		if used[d.ID] {
			comps = append(comps, dataset(m, d))
			deps = append(deps, cdx.Dependency{Ref: d.ID})
		}
	}
	bom.Components = &comps
	bom.Dependencies = &deps
	return bom, nil
}

// Write encodes the BOM as CycloneDX 1.6 JSON.
func Write(w io.Writer, bom *cdx.BOM) error {
	return cdx.NewBOMEncoder(w, cdx.BOMFileFormatJSON).SetPretty(true).SetEscapeHTML(false).EncodeVersion(bom, cdx.SpecVersion1_6)
}

func pick(m *aims.Model, ids []string) ([]*aims.AISystem, error) {
	if len(ids) == 0 {
		return m.Systems, nil
	}
	var known []string
	for _, s := range m.Systems {
		known = append(known, s.ID)
	}
	var out []*aims.AISystem
	for _, id := range ids {
		s, ok := m.ByID[id].(*aims.AISystem)
		if !ok {
			msg := fmt.Sprintf("no AI system %q", id)
			if sug := diag.Suggest(id, known); sug != "" {
				msg += fmt.Sprintf(" (did you mean %s?)", sug)
			}
			return nil, fmt.Errorf("%s; systems: %s", msg, strings.Join(known, ", "))
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, nil
}

func system(m *aims.Model, s *aims.AISystem) cdx.Component {
	c := cdx.Component{
		BOMRef:      s.ID,
		Type:        cdx.ComponentTypeMachineLearningModel,
		Name:        s.Name(),
		Description: strings.TrimSpace(s.Purpose),
	}
	props := []cdx.Property{{Name: "aims:id", Value: s.ID}, {Name: "aims:stage", Value: s.Stage}, {Name: "aims:risk_tier", Value: s.RiskTier}}
	if s.EUAIAct != nil {
		props = append(props, cdx.Property{Name: "aims:eu_ai_act_class", Value: s.EUAIAct.Class})
	}
	if s.Role != "" {
		props = append(props, cdx.Property{Name: "aims:role", Value: s.Role})
	}
	params := &cdx.MLModelParameters{}
	if md := s.Model; md != nil {
		c.Version = md.Version
		params.ArchitectureFamily = md.Type
		params.ModelArchitecture = strings.TrimSpace(md.Architecture)
		if md.License != "" {
			c.Licenses = &cdx.Licenses{{License: &cdx.License{Name: md.License}}}
		}
		if sup, ok := m.ByID[md.Supplier].(*aims.Supplier); ok {
			c.Supplier = &cdx.OrganizationalEntity{Name: sup.Name()}
		}
		if md.BaseModel != "" {
			c.Pedigree = &cdx.Pedigree{Ancestors: &[]cdx.Component{{Type: cdx.ComponentTypeMachineLearningModel, Name: md.BaseModel}}}
		}
		if strings.HasPrefix(md.Card, "https://") || strings.HasPrefix(md.Card, "http://") {
			c.ExternalReferences = &[]cdx.ExternalReference{{Type: cdx.ERTypeModelCard, URL: md.Card}}
		} else if md.Card != "" {
			props = append(props, cdx.Property{Name: "aims:model_card", Value: md.Card})
		}
	}
	var ds []cdx.MLDatasetChoice
	for _, d := range s.Datasets {
		if _, ok := m.ByID[d].(*aims.Dataset); ok {
			ds = append(ds, cdx.MLDatasetChoice{Ref: d})
		}
	}
	if len(ds) > 0 {
		params.Datasets = &ds
	}
	card := &cdx.MLModelCard{BOMRef: s.ID + ":model-card"}
	if *params != (cdx.MLModelParameters{}) {
		card.ModelParameters = params
	}
	latest := latestResults(m, s.ID)
	card.QuantitativeAnalysis = quantitative(latest)
	card.Considerations = considerations(m, s, latest["bias"])
	c.ModelCard = card
	c.Properties = &props
	return c
}

// latestResults is the most recent result of each type for a system.
func latestResults(m *aims.Model, system string) map[string]*aims.Result {
	out := map[string]*aims.Result{}
	for _, e := range m.Evidence {
		r := m.Results[e.ID]
		if r == nil || !(slices.Contains(e.Systems, system) || r.System == system) {
			continue
		}
		if best := out[r.Type]; best == nil || r.Measured > best.Measured {
			out[r.Type] = r
		}
	}
	return out
}

func quantitative(latest map[string]*aims.Result) *cdx.MLQuantitativeAnalysis {
	var metrics []cdx.MLPerformanceMetric
	for _, typ := range []string{"performance", "bias", "drift"} {
		r := latest[typ]
		if r == nil {
			continue
		}
		for _, v := range r.Results {
			metrics = append(metrics, cdx.MLPerformanceMetric{
				Type:  v.Metric,
				Value: strconv.FormatFloat(v.Value, 'g', -1, 64),
				Slice: slice(v),
			})
		}
	}
	if len(metrics) == 0 {
		return nil
	}
	return &cdx.MLQuantitativeAnalysis{PerformanceMetrics: &metrics}
}

func slice(v aims.MetricValue) string {
	switch {
	case v.Attribute != "" && v.Group != "":
		return v.Attribute + ": " + v.Group
	default:
		return v.Attribute + v.Group
	}
}

func considerations(m *aims.Model, s *aims.AISystem, bias *aims.Result) *cdx.MLModelCardConsiderations {
	c := &cdx.MLModelCardConsiderations{}
	set := func(dst **[]string, items []string) {
		if len(items) > 0 {
			items = slices.Clone(items)
			*dst = &items
		}
	}
	set(&c.Users, s.Users)
	set(&c.UseCases, s.IntendedUses)
	limits := slices.Clone(s.Limitations)
	for _, u := range s.OutOfScopeUses {
		limits = append(limits, "Out of scope: "+u)
	}
	set(&c.TechnicalLimitations, limits)

	var ethical []cdx.MLModelCardEthicalConsideration
	var fairnessMitigation []string
	for _, r := range m.Risks {
		if !slices.Contains(r.Systems, s.ID) {
			continue
		}
		ec := cdx.MLModelCardEthicalConsideration{Name: r.Name()}
		if r.Consequences != "" {
			ec.Name += ": " + strings.TrimSpace(r.Consequences)
		}
		if t := r.Treatment; t != nil {
			ec.MitigationStrategy = strings.TrimSpace(t.Plan)
			if len(t.Controls) > 0 {
				ec.MitigationStrategy = strings.TrimSpace(ec.MitigationStrategy + " (controls " + strings.Join(t.Controls, ", ") + ")")
			}
			if r.Source == "fairness" && ec.MitigationStrategy != "" {
				fairnessMitigation = append(fairnessMitigation, ec.MitigationStrategy)
			}
		}
		ethical = append(ethical, ec)
	}
	if len(ethical) > 0 {
		c.EthicalConsiderations = &ethical
	}
	if bias != nil {
		var fa []cdx.MLModelCardFairnessAssessment
		for _, v := range bias.Results {
			harm := fmt.Sprintf("%s = %s", v.Metric, strconv.FormatFloat(v.Value, 'g', -1, 64))
			if th, ok := threshold(s, v); ok {
				harm += fmt.Sprintf(" (threshold %s %s", strings.ReplaceAll(cmp.Or(th.Direction, "at_most"), "_", " "), strconv.FormatFloat(th.Threshold, 'g', -1, 64)) + ")"
			}
			harm += ", measured " + bias.Measured
			fa = append(fa, cdx.MLModelCardFairnessAssessment{
				GroupAtRisk:        cmp.Or(slice(v), "all groups"),
				Harms:              harm,
				MitigationStrategy: strings.Join(fairnessMitigation, "; "),
			})
		}
		c.FairnessAssessments = &fa
	}
	if *c == (cdx.MLModelCardConsiderations{}) {
		return nil
	}
	return c
}

// threshold is the limit the system sets for a bias metric, else the one
// recorded with the value.
func threshold(s *aims.AISystem, v aims.MetricValue) (aims.Threshold, bool) {
	if s.BiasTesting != nil {
		for _, t := range s.BiasTesting.Metrics {
			if t.Metric == v.Metric {
				return t, true
			}
		}
	}
	if v.Threshold != nil {
		return aims.Threshold{Metric: v.Metric, Threshold: *v.Threshold, Direction: v.Direction}, true
	}
	return aims.Threshold{}, false
}

func dataset(m *aims.Model, d *aims.Dataset) cdx.Component {
	data := cdx.ComponentData{
		Type:        cdx.ComponentDataTypeDataset,
		Name:        d.Name(),
		Description: strings.TrimSpace(d.Description),
	}
	if d.PersonalData {
		data.Classification = "personal data"
	}
	owner := ""
	switch o := m.ByID[d.Owner].(type) {
	case *aims.Person:
		owner = cmp.Or(o.Name, o.ID)
	case *aims.Role:
		owner = o.Name()
	}
	if owner != "" {
		data.Governance = &cdx.DataGovernance{Owners: &[]cdx.ComponentDataGovernanceResponsibleParty{{
			Contact: &cdx.OrganizationalContact{Name: owner},
		}}}
	}
	props := []cdx.Property{{Name: "aims:id", Value: d.ID}, {Name: "aims:source_type", Value: d.Source.Type}}
	if d.Source.Origin != "" {
		props = append(props, cdx.Property{Name: "aims:origin", Value: d.Source.Origin})
	}
	if d.Provenance != nil {
		for _, l := range d.Provenance.Lineage {
			props = append(props, cdx.Property{Name: "aims:lineage", Value: l})
		}
	}
	c := cdx.Component{
		BOMRef:     d.ID,
		Type:       cdx.ComponentTypeData,
		Name:       d.Name(),
		Version:    d.Version,
		Data:       &[]cdx.ComponentData{data},
		Properties: &props,
	}
	if d.Source.License != "" {
		c.Licenses = &cdx.Licenses{{License: &cdx.License{Name: d.Source.License}}}
	}
	return c
}
