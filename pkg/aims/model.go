package aims

import (
	"fmt"
	"slices"

	"github.com/aims-dev/aims/pkg/load"
)

// Model is a whole AIMS, typed. Slices keep load order (file, then index).
type Model struct {
	Manifest          *Manifest
	Scopes            []*Scope
	Policies          []*Policy
	Roles             []*Role
	People            []*Person
	Objectives        []*Objective
	RiskCriteria      []*RiskCriteria
	Risks             []*Risk
	SoAs              []*Applicability
	Systems           []*AISystem
	Datasets          []*Dataset
	ImpactAssessments []*ImpactAssessment
	Suppliers         []*Supplier
	Competences       []*Competence
	Communications    []*Communication
	Awareness         []*Awareness
	Processes         []*Process
	Changes           []*Change
	Evidence          []*Evidence
	Audits            []*Audit
	Reviews           []*ManagementReview
	Nonconformities   []*Nonconformity

	// Results holds parsed aims-result/v1 files by the id of the Evidence
	// that links them.
	Results map[string]*Result

	// Invalid holds the documents that failed schema validation: they exist
	// but are not decoded, so rules about a missing document stay quiet.
	Invalid []*load.Document

	// ByID holds every decoded document with an id.
	ByID map[string]Doc
	// All holds every decoded document in load order.
	All []Doc
}

// DecodeDocument decodes one document that passed schema validation into
// its type. A document that still fails to decode is a defect in our
// schemas (they should have refused it), so it is an error, not a
// diagnostic. It is safe for concurrent use, so large AIMSs decode in
// parallel; Build then assembles the model.
func DecodeDocument(d *load.Document) (Doc, error) {
	doc, err := decodeOne(d)
	if err != nil {
		return nil, fmt.Errorf("%s: decode %s: %w", d.Start(), d.Kind, err)
	}
	doc.Header().Doc = d
	return doc, nil
}

// Build assembles a model from decoded documents, keeping their order.
func Build(docs []Doc) *Model {
	m := &Model{ByID: map[string]Doc{}, Results: map[string]*Result{}}
	for _, doc := range docs {
		m.add(doc)
		m.All = append(m.All, doc)
		if id := doc.Header().ID; id != "" {
			if _, dup := m.ByID[id]; !dup {
				m.ByID[id] = doc
			}
		}
	}
	return m
}

// New returns an empty document of kind, or nil for an unknown kind.
func New(kind string) Doc {
	switch kind {
	case "Manifest":
		return &Manifest{}
	case "Scope":
		return &Scope{}
	case "Policy":
		return &Policy{}
	case "Role":
		return &Role{}
	case "Person":
		return &Person{}
	case "Objective":
		return &Objective{}
	case "RiskCriteria":
		return &RiskCriteria{}
	case "Risk":
		return &Risk{}
	case "Applicability":
		return &Applicability{}
	case "AISystem":
		return &AISystem{}
	case "Dataset":
		return &Dataset{}
	case "ImpactAssessment":
		return &ImpactAssessment{}
	case "Supplier":
		return &Supplier{}
	case "Competence":
		return &Competence{}
	case "Communication":
		return &Communication{}
	case "Awareness":
		return &Awareness{}
	case "Process":
		return &Process{}
	case "Change":
		return &Change{}
	case "Evidence":
		return &Evidence{}
	case "Audit":
		return &Audit{}
	case "ManagementReview":
		return &ManagementReview{}
	case "Nonconformity":
		return &Nonconformity{}
	}
	return nil
}

func decodeOne(d *load.Document) (Doc, error) {
	doc := New(d.Kind)
	if doc == nil {
		return nil, fmt.Errorf("unknown kind %q", d.Kind)
	}
	if err := decodeValue(d.Value, doc); err != nil {
		return nil, err
	}
	if p, ok := doc.(*Policy); ok {
		p.Body = d.Body
	}
	return doc, nil
}

func (m *Model) add(doc Doc) {
	switch d := doc.(type) {
	case *Manifest:
		// The settings in force are aims.yaml's; a Manifest elsewhere is an
		// error (link) and never overrides them.
		if m.Manifest == nil && d.Doc != nil && d.Doc.File == load.ManifestFile {
			m.Manifest = d
		}
	case *Scope:
		m.Scopes = append(m.Scopes, d)
	case *Policy:
		m.Policies = append(m.Policies, d)
	case *Role:
		m.Roles = append(m.Roles, d)
	case *Person:
		m.People = append(m.People, d)
	case *Objective:
		m.Objectives = append(m.Objectives, d)
	case *RiskCriteria:
		m.RiskCriteria = append(m.RiskCriteria, d)
	case *Risk:
		m.Risks = append(m.Risks, d)
	case *Applicability:
		m.SoAs = append(m.SoAs, d)
	case *AISystem:
		m.Systems = append(m.Systems, d)
	case *Dataset:
		m.Datasets = append(m.Datasets, d)
	case *ImpactAssessment:
		m.ImpactAssessments = append(m.ImpactAssessments, d)
	case *Supplier:
		m.Suppliers = append(m.Suppliers, d)
	case *Competence:
		m.Competences = append(m.Competences, d)
	case *Communication:
		m.Communications = append(m.Communications, d)
	case *Awareness:
		m.Awareness = append(m.Awareness, d)
	case *Process:
		m.Processes = append(m.Processes, d)
	case *Change:
		m.Changes = append(m.Changes, d)
	case *Evidence:
		m.Evidence = append(m.Evidence, d)
	case *Audit:
		m.Audits = append(m.Audits, d)
	case *ManagementReview:
		m.Reviews = append(m.Reviews, d)
	case *Nonconformity:
		m.Nonconformities = append(m.Nonconformities, d)
	}
}

// Organization is the organisation's name, or "" before a manifest exists.
func (m *Model) Organization() string {
	if m.Manifest == nil {
		return ""
	}
	return m.Manifest.Organization.Name
}

// HasInvalid reports whether a document of kind exists but failed validation.
func (m *Model) HasInvalid(kind string) bool {
	return slices.ContainsFunc(m.Invalid, func(d *load.Document) bool { return d.Kind == kind })
}
