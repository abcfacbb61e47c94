package aims

import "github.com/aims-dev/aims/pkg/load"

// Meta is what every document has: identity and document control.
type Meta struct {
	APIVersion  string   `json:"apiVersion"`
	Kind        string   `json:"kind"`
	ID          string   `json:"id"`
	Title       string   `json:"title,omitempty"`
	Owner       string   `json:"owner,omitempty"`
	Version     string   `json:"version,omitempty"`
	Status      string   `json:"status,omitempty"` // draft, approved, retired
	ApprovedBy  string   `json:"approved_by,omitempty"`
	ApprovedOn  string   `json:"approved_on,omitempty"`
	NextReview  string   `json:"next_review,omitempty"`
	Description string   `json:"description,omitempty"`
	Tags        []string `json:"tags,omitempty"`

	Doc *load.Document `json:"-"`
}

// Header returns m, so every kind satisfies Doc.
func (m *Meta) Header() *Meta { return m }

// Name is the title, else the id, else the file.
func (m *Meta) Name() string {
	switch {
	case m.Title != "":
		return m.Title
	case m.ID != "":
		return m.ID
	case m.Doc != nil:
		return m.Doc.File
	}
	return m.Kind
}

// Doc is any typed document.
type Doc interface{ Header() *Meta }

type Manifest struct {
	Meta
	Organization struct {
		Name      string `json:"name"`
		LegalName string `json:"legal_name,omitempty"`
		Sector    string `json:"sector,omitempty"`
		Country   string `json:"country,omitempty"`
		Website   string `json:"website,omitempty"`
	} `json:"organization"`
	Frameworks []string `json:"frameworks,omitempty"`
	Documents  struct {
		Include []string `json:"include,omitempty"`
		Exclude []string `json:"exclude,omitempty"`
	} `json:"documents,omitzero"`
	Settings Settings                `json:"settings,omitzero"`
	Rules    map[string]RuleOverride `json:"rules,omitempty"`
	// Approvals say who may approve which kind; they replace the defaults.
	Approvals []Approval `json:"approvals,omitempty"`
}

// Approval is the approval authority for one document kind ("ai_policy"
// for the Policy of type ai_policy).
type Approval struct {
	Kind          string   `json:"kind"`
	Roles         []string `json:"roles,omitempty"`
	TopManagement bool     `json:"top_management,omitempty"`
	Independent   bool     `json:"independent,omitempty"`
}

// Settings tune the gap rules; zero values mean "use the default".
type Settings struct {
	EvidenceMaxAgeDays      int  `json:"evidence_max_age_days,omitempty"`
	EvidenceGraceDays       *int `json:"evidence_grace_days,omitempty"`
	AuditCycleMonths        int  `json:"audit_cycle_months,omitempty"`
	AuditProgrammeMonths    int  `json:"audit_programme_months,omitempty"`
	ReviewCycleMonths       int  `json:"review_cycle_months,omitempty"`
	RiskAcceptanceThreshold int  `json:"risk_acceptance_threshold,omitempty"`
	BiasResultMaxAgeDays    int  `json:"bias_result_max_age_days,omitempty"`
	// EvidenceMaxAgeDaysByType sets the maximum age of one evidence type
	// (e.g. certificate: 1095), replacing evidence_max_age_days for it.
	EvidenceMaxAgeDaysByType map[string]int  `json:"evidence_max_age_days_by_type,omitempty"`
	Tiers                    map[string]Tier `json:"tiers,omitempty"`
}

type Tier struct {
	Description string   `json:"description,omitempty"`
	Requires    []string `json:"requires"`
}

type RuleOverride struct {
	Severity string `json:"severity"`
	Reason   string `json:"reason"`
}

type Named struct {
	Name          string `json:"name"`
	Justification string `json:"justification"`
}

type Issue struct {
	Issue  string `json:"issue"`
	Effect string `json:"effect,omitempty"`
}

type Scope struct {
	Meta
	Summary    string `json:"summary"`
	Boundaries string `json:"boundaries,omitempty"`
	Systems    struct {
		Included []string `json:"included,omitempty"`
		Excluded []Named  `json:"excluded,omitempty"`
	} `json:"systems,omitzero"`
	Units struct {
		Included []string `json:"included,omitempty"`
		Excluded []Named  `json:"excluded,omitempty"`
	} `json:"units,omitzero"`
	Issues struct {
		Internal []Issue `json:"internal,omitempty"`
		External []Issue `json:"external,omitempty"`
	} `json:"issues,omitzero"`
	InterestedParties []struct {
		Name         string   `json:"name"`
		Type         string   `json:"type,omitempty"`
		Requirements []string `json:"requirements"`
		Addressed    *bool    `json:"addressed,omitempty"`
	} `json:"interested_parties,omitempty"`
	Roles []struct {
		System string `json:"system"`
		Role   string `json:"role"`
	} `json:"roles,omitempty"`
	Interfaces []string `json:"interfaces,omitempty"`
}

type Policy struct {
	Meta
	Type           string   `json:"type"` // ai_policy or topic
	Related        []string `json:"related,omitempty"`
	Satisfies      []string `json:"satisfies,omitempty"`
	CommunicatedTo []string `json:"communicated_to,omitempty"`
	Body           string   `json:"-"`
}

type Role struct {
	Meta
	Responsibilities []string `json:"responsibilities"`
	Authorities      []string `json:"authorities,omitempty"`
	ReportsTo        string   `json:"reports_to,omitempty"`
	TopManagement    bool     `json:"top_management,omitempty"`
	Approves         []string `json:"approves,omitempty"` // document kinds, or ai_policy
}

type Person struct {
	Meta
	Name     string   `json:"name"`
	Email    string   `json:"email,omitempty"`
	JobTitle string   `json:"job_title,omitempty"`
	Roles    []string `json:"roles,omitempty"`
}

type Measurement struct {
	Date  string  `json:"date"`
	Value float64 `json:"value"`
	Note  string  `json:"note,omitempty"`
}

type Objective struct {
	Meta
	Metric string `json:"metric"`
	Target struct {
		Value     float64 `json:"value"`
		Unit      string  `json:"unit,omitempty"`
		Direction string  `json:"direction"`
	} `json:"target"`
	Baseline     *float64      `json:"baseline,omitempty"`
	Due          string        `json:"due"`
	Plan         string        `json:"plan,omitempty"`
	Policy       string        `json:"policy,omitempty"`
	Measurements []Measurement `json:"measurements,omitempty"`
	Progress     string        `json:"progress,omitempty"`
}

type Level struct {
	Level       int    `json:"level"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

type RiskCriteria struct {
	Meta
	Method              string   `json:"method,omitempty"`
	Likelihood          []Level  `json:"likelihood"`
	Impact              []Level  `json:"impact"`
	AcceptanceThreshold int      `json:"acceptance_threshold"`
	ReviewTriggers      []string `json:"review_triggers,omitempty"`
	// AcceptanceAuthority says who may accept which residual score.
	AcceptanceAuthority []AcceptanceBand `json:"acceptance_authority,omitempty"`
}

// AcceptanceBand lets a role (or the risk's owner) accept residual scores
// up to MaxScore.
type AcceptanceBand struct {
	MaxScore  int    `json:"max_score"`
	Role      string `json:"role,omitempty"`
	RiskOwner bool   `json:"risk_owner,omitempty"`
}

type Risk struct {
	Meta
	Systems      []string   `json:"systems"`
	Source       string     `json:"source"`
	Consequences string     `json:"consequences,omitempty"`
	Identified   string     `json:"identified,omitempty"`
	Assessed     string     `json:"assessed,omitempty"`
	Likelihood   int        `json:"likelihood"`
	Impact       int        `json:"impact"`
	Treatment    *Treatment `json:"treatment,omitempty"`
	Residual     *struct {
		Likelihood int `json:"likelihood"`
		Impact     int `json:"impact"`
	} `json:"residual,omitempty"`
	Acceptance *struct {
		ApprovedBy string `json:"approved_by"`
		ApprovedOn string `json:"approved_on"`
		Rationale  string `json:"rationale,omitempty"`
	} `json:"acceptance,omitempty"`
	State string `json:"state,omitempty"`
}

type Treatment struct {
	Option   string   `json:"option"`
	Controls []string `json:"controls,omitempty"`
	Plan     string   `json:"plan,omitempty"`
	Owner    string   `json:"owner,omitempty"`
	Due      string   `json:"due,omitempty"`
	Progress string   `json:"progress,omitempty"`
}

// Score is the inherent risk score.
func (r *Risk) Score() int { return r.Likelihood * r.Impact }

// ResidualScore is the score after treatment, or -1 when not evaluated.
func (r *Risk) ResidualScore() int {
	if r.Residual == nil {
		return -1
	}
	return r.Residual.Likelihood * r.Residual.Impact
}

type ControlRow struct {
	Control        string   `json:"control"`
	Applicable     bool     `json:"applicable"`
	Justification  string   `json:"justification,omitempty"`
	Implementation string   `json:"implementation,omitempty"`
	Evidence       []string `json:"evidence,omitempty"`
	Owner          string   `json:"owner,omitempty"`
	Notes          string   `json:"notes,omitempty"`
}

type Applicability struct {
	Meta
	Controls []ControlRow `json:"controls"`
}

type Threshold struct {
	Metric    string  `json:"metric"`
	Threshold float64 `json:"threshold"`
	Direction string  `json:"direction,omitempty"` // default at_most
}

// Breached reports whether value is outside the threshold.
func (t Threshold) Breached(value float64) bool {
	if t.Direction == "at_least" {
		return value < t.Threshold
	}
	return value > t.Threshold
}

type AISystem struct {
	Meta
	Purpose        string   `json:"purpose"`
	IntendedUses   []string `json:"intended_uses"`
	OutOfScopeUses []string `json:"out_of_scope_uses,omitempty"`
	Limitations    []string `json:"limitations,omitempty"`
	Stage          string   `json:"stage"`
	RiskTier       string   `json:"risk_tier"`
	EUAIAct        *struct {
		Class string `json:"class"`
		Basis string `json:"basis,omitempty"`
	} `json:"eu_ai_act,omitempty"`
	Role  string `json:"role,omitempty"`
	Model *struct {
		Type         string `json:"type,omitempty"`
		Architecture string `json:"architecture,omitempty"`
		Version      string `json:"version,omitempty"`
		Supplier     string `json:"supplier,omitempty"`
		Card         string `json:"card,omitempty"`
		License      string `json:"license,omitempty"`
		BaseModel    string `json:"base_model,omitempty"`
	} `json:"model,omitempty"`
	Inputs         []string `json:"inputs,omitempty"`
	Outputs        []string `json:"outputs,omitempty"`
	Explainability *struct {
		DecisionLogic   string `json:"decision_logic,omitempty"`
		UserExplanation string `json:"user_explanation,omitempty"`
	} `json:"explainability,omitempty"`
	HumanOversight *struct {
		Mode               string   `json:"mode"`
		Description        string   `json:"description,omitempty"`
		ReviewRequiredWhen []string `json:"review_required_when,omitempty"`
	} `json:"human_oversight,omitempty"`
	Fallback         string   `json:"fallback,omitempty"`
	ShutdownCriteria []string `json:"shutdown_criteria,omitempty"`
	Datasets         []string `json:"datasets,omitempty"`
	Suppliers        []string `json:"suppliers,omitempty"`
	Monitoring       *struct {
		Frequency string      `json:"frequency,omitempty"`
		Metrics   []Threshold `json:"metrics,omitempty"`
		Drift     []Threshold `json:"drift,omitempty"`
	} `json:"monitoring,omitempty"`
	BiasTesting *struct {
		ProtectedAttributes []string    `json:"protected_attributes"`
		Metrics             []Threshold `json:"metrics"`
		Frequency           string      `json:"frequency,omitempty"`
	} `json:"bias_testing,omitempty"`
	Privacy *struct {
		PersonalData bool   `json:"personal_data"`
		LegalBasis   string `json:"legal_basis,omitempty"`
		DPIA         string `json:"dpia,omitempty"`
	} `json:"privacy,omitempty"`
	Logging *struct {
		Events    []string `json:"events,omitempty"`
		Retention string   `json:"retention,omitempty"`
	} `json:"logging,omitempty"`
	Deployment *struct {
		ApprovedBy  string `json:"approved_by"`
		ApprovedOn  string `json:"approved_on"`
		Environment string `json:"environment,omitempty"`
	} `json:"deployment,omitempty"`
	Users    []string  `json:"users,omitempty"`
	Affected []string  `json:"affected,omitempty"`
	Unmapped *Unmapped `json:"unmapped,omitempty"`
}

// Unmapped keeps what a model card import found but has no field for.
type Unmapped struct {
	Card     string         `json:"card,omitempty"`
	Fields   map[string]any `json:"fields,omitempty"`
	Sections []struct {
		Heading string `json:"heading"`
		Text    string `json:"text"`
	} `json:"sections,omitempty"`
}

// EUClass is the EU AI Act class, "" when unclassified.
func (s *AISystem) EUClass() string {
	if s.EUAIAct == nil {
		return ""
	}
	return s.EUAIAct.Class
}

type Dataset struct {
	Meta
	Source struct {
		Type    string `json:"type"`
		Origin  string `json:"origin,omitempty"`
		License string `json:"license,omitempty"`
	} `json:"source"`
	Acquisition *struct {
		Method   string `json:"method,omitempty"`
		Acquired string `json:"acquired,omitempty"`
		Rights   string `json:"rights,omitempty"`
	} `json:"acquisition,omitempty"`
	Provenance *struct {
		Lineage  []string `json:"lineage"`
		Recorded string   `json:"recorded,omitempty"`
	} `json:"provenance,omitempty"`
	Representativeness *struct {
		Assessment string `json:"assessment"`
		ReviewedOn string `json:"reviewed_on,omitempty"`
		ReviewedBy string `json:"reviewed_by,omitempty"`
	} `json:"representativeness,omitempty"`
	Quality *struct {
		Requirements []string `json:"requirements,omitempty"`
		Checks       []struct {
			Check  string `json:"check"`
			Result string `json:"result"`
			Date   string `json:"date,omitempty"`
		} `json:"checks,omitempty"`
	} `json:"quality,omitempty"`
	Preparation  []string `json:"preparation,omitempty"`
	PersonalData bool     `json:"personal_data,omitempty"`
	LegalBasis   string   `json:"legal_basis,omitempty"`
	Retention    string   `json:"retention,omitempty"`
	Size         string   `json:"size,omitempty"`
}

type Impact struct {
	Group    string   `json:"group,omitempty"`
	Area     string   `json:"area,omitempty"`
	Impacts  []string `json:"impacts"`
	Severity string   `json:"severity"`
}

type ImpactAssessment struct {
	Meta
	System      string   `json:"system"`
	Assessed    string   `json:"assessed"`
	Individuals []Impact `json:"individuals,omitempty"`
	Societal    []Impact `json:"societal,omitempty"`
	Severity    string   `json:"severity,omitempty"`
	Mitigations []struct {
		Description string   `json:"description"`
		Controls    []string `json:"controls,omitempty"`
		Risks       []string `json:"risks,omitempty"`
	} `json:"mitigations,omitempty"`
	Conclusion string `json:"conclusion,omitempty"`
}

type Supplier struct {
	Meta
	Type         string   `json:"type"`
	Provides     []string `json:"provides,omitempty"`
	DueDiligence *struct {
		Performed   string   `json:"performed"`
		PerformedBy string   `json:"performed_by,omitempty"`
		Result      string   `json:"result"`
		Evidence    []string `json:"evidence,omitempty"`
		NextReview  string   `json:"next_review,omitempty"`
	} `json:"due_diligence,omitempty"`
	Responsibilities []struct {
		Party          string `json:"party"`
		Responsibility string `json:"responsibility"`
	} `json:"responsibilities,omitempty"`
	Contract string `json:"contract,omitempty"`
}

type Competence struct {
	Meta
	Subject  string   `json:"subject,omitempty"` // a Person or Role
	Group    string   `json:"group,omitempty"`   // or a group of people
	Required []string `json:"required,omitempty"`
	Records  []struct {
		Activity  string `json:"activity"`
		Completed string `json:"completed"`
		Evidence  string `json:"evidence,omitempty"`
	} `json:"records,omitempty"`
	Gaps []struct {
		Gap    string `json:"gap"`
		Action string `json:"action,omitempty"`
		Due    string `json:"due,omitempty"`
		State  string `json:"state,omitempty"`
	} `json:"gaps,omitempty"`
}

type Communication struct {
	Meta
	Topic     string   `json:"topic"`
	Audience  []string `json:"audience"`
	Direction string   `json:"direction,omitempty"`
	Channel   string   `json:"channel"`
	Frequency string   `json:"frequency"`
	Records   []struct {
		Date     string `json:"date"`
		Note     string `json:"note,omitempty"`
		Evidence string `json:"evidence,omitempty"`
	} `json:"records,omitempty"`
}

// Awareness is how the people doing work under the AIMS are made aware of
// the AI policy, their contribution and the implications of not
// conforming (7.3), with records that it happened.
type Awareness struct {
	Meta
	Audience []string `json:"audience"`
	Policy   string   `json:"policy"`
	Covers   []string `json:"covers"`
	Method   string   `json:"method,omitempty"`
	Records  []struct {
		Date     string `json:"date"`
		Reached  string `json:"reached,omitempty"`
		Note     string `json:"note,omitempty"`
		Evidence string `json:"evidence,omitempty"`
	} `json:"records,omitempty"`
}

// Process is an operational process planned and controlled under 8.1: its
// criteria, the controls it implements, and records that it ran.
type Process struct {
	Meta
	Purpose   string   `json:"purpose"`
	Criteria  []string `json:"criteria"`
	Controls  []string `json:"controls,omitempty"`
	Systems   []string `json:"systems,omitempty"`
	Procedure string   `json:"procedure,omitempty"`
	Records   []struct {
		Date     string `json:"date"`
		Note     string `json:"note,omitempty"`
		Evidence string `json:"evidence,omitempty"`
	} `json:"records,omitempty"`
}

type Change struct {
	Meta
	Purpose      string   `json:"purpose"`
	Consequences string   `json:"consequences,omitempty"`
	Resources    string   `json:"resources,omitempty"`
	Planned      string   `json:"planned,omitempty"`
	Progress     string   `json:"progress,omitempty"`
	Affects      []string `json:"affects,omitempty"`
}

type Evidence struct {
	Meta
	Type               string   `json:"type,omitempty"`
	Path               string   `json:"path,omitempty"`
	URL                string   `json:"url,omitempty"`
	Satisfies          []string `json:"satisfies"`
	Systems            []string `json:"systems,omitempty"`
	Collected          string   `json:"collected,omitempty"`
	ValidUntil         string   `json:"valid_until,omitempty"`
	ReviewIntervalDays int      `json:"review_interval_days,omitempty"`
	// NeverExpires says the record keeps its value for good (a founding
	// deed, a closed contract); NeverExpiresReason says why.
	NeverExpires       bool   `json:"never_expires,omitempty"`
	NeverExpiresReason string `json:"never_expires_reason,omitempty"`
	// SHA256 is the declared digest of the file at Path, verified by aims.
	SHA256 string `json:"sha256,omitempty"`
	// Attestation is a named person's statement that they retrieved and
	// reviewed what a URL points at; without it (or a retrieved copy at
	// Path) URL-only evidence is unverified.
	Attestation *struct {
		By   string `json:"by"`
		On   string `json:"on"`
		Note string `json:"note,omitempty"`
	} `json:"attestation,omitempty"`
}

type Finding struct {
	ID            string `json:"id,omitempty"`
	Type          string `json:"type"`
	Requirement   string `json:"requirement,omitempty"`
	Description   string `json:"description"`
	Nonconformity string `json:"nonconformity,omitempty"`
}

type Audit struct {
	Meta
	Type     string   `json:"type"`
	State    string   `json:"state"`
	Date     string   `json:"date"`
	Scope    []string `json:"scope"`
	Criteria string   `json:"criteria,omitempty"`
	Auditor  *struct {
		Name         string `json:"name"`
		Person       string `json:"person,omitempty"`
		Organization string `json:"organization,omitempty"`
		Independent  *bool  `json:"independent,omitempty"`
	} `json:"auditor,omitempty"`
	Findings []Finding `json:"findings,omitempty"`
	Report   string    `json:"report,omitempty"`
}

type Action struct {
	Action    string `json:"action"`
	Owner     string `json:"owner,omitempty"`
	Due       string `json:"due,omitempty"`
	State     string `json:"state,omitempty"`
	Completed string `json:"completed,omitempty"`
}

type ManagementReview struct {
	Meta
	Date      string   `json:"date"`
	Chair     string   `json:"chair,omitempty"`
	Attendees []string `json:"attendees"`
	Inputs    []string `json:"inputs"`
	Decisions []string `json:"decisions,omitempty"`
	Actions   []Action `json:"actions,omitempty"`
	Minutes   string   `json:"minutes,omitempty"`
}

type Nonconformity struct {
	Meta
	Source            string   `json:"source"`
	Audit             string   `json:"audit,omitempty"`
	Requirements      []string `json:"requirements,omitempty"`
	Systems           []string `json:"systems,omitempty"`
	Detected          string   `json:"detected"`
	Severity          string   `json:"severity,omitempty"`
	Correction        string   `json:"correction,omitempty"`
	RootCause         string   `json:"root_cause,omitempty"`
	CorrectiveActions []Action `json:"corrective_actions,omitempty"`
	Due               string   `json:"due,omitempty"`
	State             string   `json:"state"`
	ClosedOn          string   `json:"closed_on,omitempty"`
	Effectiveness     *struct {
		ReviewedOn string `json:"reviewed_on"`
		ReviewedBy string `json:"reviewed_by,omitempty"`
		Effective  bool   `json:"effective"`
		Note       string `json:"note,omitempty"`
	} `json:"effectiveness,omitempty"`
}

// Open reports whether the nonconformity still needs work.
func (n *Nonconformity) Open() bool { return n.State != "closed" }
