package gap

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/catalog"
	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/load"
)

// configRule are the rules about the rule overrides in aims.yaml; each sits
// beside the check that applies it and is registered by being a field here.
var configRule = struct {
	InvalidOverride *diag.Rule
}{
	InvalidOverride: &diag.Rule{
		ID: "AIMS-C001", Severity: diag.Error,
		Title: "Invalid rule override", Description: "aims.yaml overrides a rule that does not exist or cannot be changed.",
		Why: "An override in `aims.yaml` changes what the gap report says about the AIMS, so an auditor reading the report must be able to trust that every override names a real, configurable rule and nothing else was quietly edited (4.4). A mistyped id silently overrides nothing, and validation rules guard whether the documents can be read at all, so they cannot be relaxed.",
		Fix: "Correct the key under `rules:` in `aims.yaml` to an existing configurable id (every `AIMS-G*` rule, `AIMS-Y001`, `AIMS-Y002`; `aims rules` lists them and the message suggests the nearest id), or delete the entry. L, S, R and C rules cannot be overridden: fix the document they point at instead.",
	},
}

// Options are the inputs that are not documents.
type Options struct {
	// Now is "today" for every date rule (--as-of, or the commit date).
	Now time.Time
	// Tiers are the risk tiers in force and what each requires.
	Tiers map[string]aims.Tier
	// LastChanged, when set, gives the date of the last commit that changed a
	// file (slash path relative to the AIMS root). Evidence without a
	// collected date falls back to it.
	LastChanged func(file string) (time.Time, bool)
	// Versioned says the AIMS is under version control (7.5.3).
	Versioned bool
	// Approvals, in git, is what the history shows about each approved
	// document's current approval (checkControl judges it).
	Approvals []ApprovalRecord
	// FileExists, when set, says whether an evidence path exists; evidence
	// whose file is gone supports nothing (link reports the missing file).
	FileExists func(path string) bool
	// Digest, when set, reads the evidence file at path (through the same
	// fs.FS as the documents, so at --rev it reads the blob).
	Digest func(path string) (File, error)
	// Prior, when set, gives the diagnostics of the earlier stages in
	// place of Analyze's argument, asked for only once the rules have run:
	// references may still be checked meanwhile.
	Prior func() diag.List
}

// File is what reading an evidence file found.
type File struct {
	Size   int64
	SHA256 string // lowercase hex
	Blank  bool   // it holds nothing but white space (or nothing at all)
	Ink    int    // letters and digits it holds, counted up to MinInk
}

// MinInk is how many letters or digits an evidence file must hold at least:
// fewer ("ok", "x", "done 1") is a placeholder, not a record anyone could
// review. Real minutes, reports, exports and PDFs hold far more.
const MinInk = 20

// Status of a requirement.
type Status string

const (
	Met      Status = "met"
	Partial  Status = "partial"
	Missing  Status = "missing"
	Excluded Status = "excluded"
)

// Support is one thing offered as evidence for a requirement, and whether
// it counts.
type Support struct {
	Kind  string `json:"kind"`
	ID    string `json:"id,omitempty"`
	Title string `json:"title"`
	File  string `json:"file,omitempty"`
	Line  int    `json:"line,omitempty"`
	Valid bool   `json:"valid"`
	Note  string `json:"note,omitempty"` // why it does not count, or a caveat
	// The trace an auditor reads: when the record was made (collected,
	// assessed, held, ...), and who approved it and when.
	Date       string `json:"date,omitempty"`
	ApprovedBy string `json:"approved_by,omitempty"`
	ApprovedOn string `json:"approved_on,omitempty"`
	// SHA256 is the digest of an evidence file as read, so the reviewer can
	// see that what they reviewed is what is in the repository.
	SHA256 string `json:"sha256,omitempty"`
}

// Requirement is a clause or control with its status.
type Requirement struct {
	ID         string        `json:"id"`
	Kind       catalog.Kind  `json:"kind"`
	Title      string        `json:"title"`
	Parent     string        `json:"parent"`
	Phase      catalog.Phase `json:"phase"`
	Documented bool          `json:"documented_information"`
	Status     Status        `json:"status"`
	Blocking   bool          `json:"blocking"` // blocks certification
	Evidence   []Support     `json:"evidence"`
	Reasons    []string      `json:"reasons"`
	// Findings counts the open findings (warning or above) against it.
	Findings int `json:"open_findings"`
}

// Override is a rule changed in aims.yaml, shown in reports with its reason.
type Override struct {
	Rule     string   `json:"rule"`
	Severity string   `json:"severity"`
	Reason   string   `json:"reason"`
	Pos      diag.Pos `json:"-"`
}

// EvidenceState is how current one Evidence is, judged once here so every
// renderer agrees with the rules.
type EvidenceState struct {
	ID      string `json:"id"`
	State   string `json:"state"`             // current, expiring (within 30 days), grace, stale, undated, future (collected after today)
	Expires string `json:"expires,omitempty"` // the last day it is current, YYYY-MM-DD
	Basis   string `json:"basis"`             // what the expiry comes from
	Counts  bool   `json:"counts"`            // it supports what it satisfies (false when that is no known requirement)
	Note    string `json:"note,omitempty"`    // why it does not count, or a caveat
	// NeverExpires is the reason given for a record declared never to expire.
	NeverExpires string `json:"never_expires,omitempty"`
	// SHA256 is the digest of the evidence file as read (declared or not);
	// Declared says the Evidence states it and it matched.
	SHA256   string `json:"sha256,omitempty"`
	Declared bool   `json:"sha256_declared,omitempty"`
	Size     int64  `json:"size,omitempty"`
	// Source is "file" or "url"; Verified says URL-only evidence records a
	// retrieval (an attestation by a named person).
	Source   string `json:"source"`
	Verified bool   `json:"verified"`
	// Claims is how many requirements it names; Broad says that is more
	// than MaxClaims, which an auditor does not take on trust.
	Claims int  `json:"claims"`
	Broad  bool `json:"claims_many"`
}

// MaxClaims is how many requirements one piece of evidence may name before
// it is a warning (AIMS-G027): a record that shows a dozen controls at once
// is usually a folder or a summary, not evidence of any one of them.
const MaxClaims = 6

// ExpiringDays is how close to its expiry evidence is "expiring".
const ExpiringDays = 30

// Summary counts requirement statuses.
type Summary struct {
	Counts
	// Score is the share of applicable requirements met, from 0 to 100;
	// partial counts nothing (see Score).
	Score    float64 `json:"score"`
	Blocking int     `json:"blocking"`
	// WithFindings counts the applicable requirements that open findings
	// (warning or above) count against.
	WithFindings int `json:"with_findings"`
}

// Counts tallies statuses: of requirements, or of a framework's items.
type Counts struct {
	Total    int `json:"total"`
	Met      int `json:"met"`
	Partial  int `json:"partial"`
	Missing  int `json:"missing"`
	Excluded int `json:"excluded"`
}

// Add counts one status.
func (c *Counts) Add(s Status) {
	c.Total++
	switch s {
	case Met:
		c.Met++
	case Partial:
		c.Partial++
	case Missing:
		c.Missing++
	case Excluded:
		c.Excluded++
	}
}

// Result is the gap analysis.
type Result struct {
	AsOf         string        `json:"as_of"`
	Requirements []Requirement `json:"requirements"`
	Summary      Summary       `json:"summary"`
	Roadmap      []Phase       `json:"roadmap"`
	Systems      []System      `json:"systems"`
	Overrides    []Override    `json:"overrides"`
	// Evidence is the state of every Evidence document, sorted by id.
	Evidence []EvidenceState `json:"evidence"`
	// The verdicts every renderer shows, judged here once; lists sorted by id.
	RiskThreshold    Threshold              `json:"risk_threshold"`
	Risks            []RiskVerdict          `json:"risks"`
	Objectives       []ObjectiveVerdict     `json:"objectives"`
	Reviews          []ReviewVerdict        `json:"management_reviews"`
	Nonconformities  []NonconformityVerdict `json:"nonconformities"`
	Suppliers        []SupplierVerdict      `json:"suppliers"`
	Datasets         []DatasetVerdict       `json:"datasets"`
	DocumentsOverdue []DocumentReview       `json:"documents_overdue"` // past next_review, in file order
	// Findings are the rule findings, overrides applied, sorted.
	Findings diag.List `json:"-"`
}

// Analyze runs the gap analysis. prior are the diagnostics of earlier stages
// (load, schema, link): their errors count against the requirements they
// name, and they are not repeated in Findings.
func Analyze(m *aims.Model, cat *catalog.Catalog, prior diag.List, opts Options) *Result {
	a := &analyzer{m: m, cat: cat, opts: opts, now: day(opts.Now), support: map[string][]Support{}, reasons: map[string][]string{}, blocking: map[string]bool{}}
	a.startScans()
	a.settings()
	a.overrides()
	a.checkDocuments()
	a.checkSoA()
	a.checkEvidence()
	a.checkRisks()
	a.judgeSuppliers()
	a.systems = a.checkSystems()
	a.checkDatasets()
	a.checkAudits()
	a.checkReviews()
	a.checkNonconformities()
	a.checkObjectives()
	a.checkCompetence()
	a.checkAwareness()
	a.checkCommunications()
	a.checkProcesses()
	a.checkSupplierResponsibilities()
	a.checkNarratives()
	a.linkDocuments()
	a.checkAuthority()
	a.checkAuditors()
	a.checkControl()
	a.checkDates()
	if opts.Prior != nil {
		prior = opts.Prior()
	}
	return a.result(prior)
}

type analyzer struct {
	m    *aims.Model
	cat  *catalog.Catalog
	opts Options
	now  time.Time

	maxAge, grace, auditCycle, programme, reviewCycle, biasAge int
	maxAgeByType                                               map[string]int
	risk                                                       Threshold

	findings diag.List
	override map[string]aims.RuleOverride
	applied  []Override
	support  map[string][]Support
	evidence map[string]Support
	states   []EvidenceState
	blocking map[string]bool // requirements hit by errors on high-risk systems
	bySystem map[[2]string][]*aims.Evidence
	byName   *systemIndex          // records by the AI systems they name, built on first use
	owned    map[string][]aims.Doc // documents by owner, see ownedBy
	reasons  map[string][]string
	scans    *scans // found while the rules run (startScans)
	systems  []System
	who      *people
	// supportedBy is the reverse of support: kind and id -> requirements.
	supportedBy map[[2]string][]string

	risks       []RiskVerdict
	objectives  []ObjectiveVerdict
	reviews     []ReviewVerdict
	ncs         []NonconformityVerdict
	suppliers   []SupplierVerdict
	datasets    []DatasetVerdict
	overdueDocs []DocumentReview
}

func (a *analyzer) settings() {
	s := aims.Settings{}
	if a.m.Manifest != nil {
		s = a.m.Manifest.Settings
	}
	a.maxAge = cmp.Or(s.EvidenceMaxAgeDays, 365)
	a.maxAgeByType = s.EvidenceMaxAgeDaysByType
	a.grace = 30
	if s.EvidenceGraceDays != nil {
		a.grace = *s.EvidenceGraceDays
	}
	a.auditCycle = cmp.Or(s.AuditCycleMonths, 12)
	a.programme = cmp.Or(s.AuditProgrammeMonths, 36)
	a.reviewCycle = cmp.Or(s.ReviewCycleMonths, 12)
	a.biasAge = cmp.Or(s.BiasResultMaxAgeDays, 180)
	a.risk = a.riskThreshold()
}

// overrides reads the rules section of aims.yaml. An unknown or
// non-configurable rule is an error at its key.
func (a *analyzer) overrides() {
	a.override = map[string]aims.RuleOverride{}
	if a.m.Manifest == nil {
		return
	}
	doc := a.m.Manifest.Doc
	ids := make([]string, 0, len(a.m.Manifest.Rules))
	for id := range a.m.Manifest.Rules {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var known []string
	for _, r := range Rules() {
		if r.Configurable {
			known = append(known, r.ID)
		}
	}
	for _, id := range ids {
		o := a.m.Manifest.Rules[id]
		pos := doc.At(load.Pointer("rules", id))
		r, ok := LookupRule(id)
		if !ok || !r.Configurable {
			msg := fmt.Sprintf("rule %s cannot be overridden", id)
			if !ok {
				msg = fmt.Sprintf("unknown rule %s", id)
				if s := diag.SuggestWithin(id, known, 1); s != "" {
					msg += fmt.Sprintf(" (did you mean %s?)", s)
				}
			} else {
				msg += ": validation rules guard the documents the analysis reads"
			}
			a.findings.Report(configRule.InvalidOverride, pos, "%s", msg)
			continue
		}
		a.override[id] = o
		a.applied = append(a.applied, Override{Rule: id, Severity: o.Severity, Reason: o.Reason, Pos: pos})
	}
}

// report records a finding of rule r.
func (a *analyzer) report(r *diag.Rule, pos diag.Pos, format string, args ...any) {
	a.reportSev(r, -1, pos, format, args...)
}

// reportSev records a finding with an explicit severity (for rules whose
// severity depends on the case, such as stale evidence in its grace period).
func (a *analyzer) reportSev(r *diag.Rule, sev diag.Severity, pos diag.Pos, format string, args ...any) {
	if a.off(r) {
		return // not worth formatting
	}
	a.emit(r, sev, pos, nil, fmt.Sprintf(format, args...))
}

// off reports whether aims.yaml switches rule r off: a check may then skip
// the work of reporting (a position, a message) for what nobody sees.
func (a *analyzer) off(r *diag.Rule) bool {
	o, ok := a.override[r.ID]
	if !ok {
		return false
	}
	s, err := diag.ParseSeverity(o.Severity)
	return err == nil && s == diag.Off
}

// reportAgainst records a finding of rule r that counts against reqs as
// well as the rule's own refs: the requirements a piece of evidence or an
// SoA row claims.
func (a *analyzer) reportAgainst(r *diag.Rule, reqs []string, pos diag.Pos, format string, args ...any) {
	a.reportSevAgainst(r, -1, reqs, pos, format, args...)
}

// reportSevAgainst is reportAgainst with an explicit severity.
func (a *analyzer) reportSevAgainst(r *diag.Rule, sev diag.Severity, reqs []string, pos diag.Pos, format string, args ...any) {
	n := len(a.findings)
	a.reportSev(r, sev, pos, format, args...)
	if len(a.findings) > n {
		d := &a.findings[n]
		d.Refs = slices.Concat(r.Refs, reqs)
		slices.Sort(d.Refs)
		d.Refs = slices.Compact(d.Refs)
	}
}

// emit applies overrides and records the finding.
func (a *analyzer) emit(r *diag.Rule, sev diag.Severity, pos diag.Pos, related []diag.Pos, msg string) {
	if sev < 0 {
		sev = r.Severity
	}
	if o, ok := a.override[r.ID]; ok {
		s, err := diag.ParseSeverity(o.Severity)
		if err == nil {
			sev = s
		}
	}
	if sev == diag.Off {
		return
	}
	a.findings = append(a.findings, diag.Diagnostic{Pos: pos, Severity: sev, Code: r.ID, Msg: msg, Refs: r.Refs, Related: related})
}

// support records that something supports requirement ids.
func (a *analyzer) supports(s Support, ids ...string) {
	for _, id := range ids {
		a.support[id] = append(a.support[id], s)
	}
}

// day truncates t to its date in UTC.
func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// parseDate reads a date as time.Parse(time.DateOnly, s) does. The rules
// read every date of every document (9 % of the analysis of 10,000
// documents went to time.Parse), and nearly all are written YYYY-MM-DD:
// those are read here, the rest (and every error) by time.Parse.
func parseDate(s string) (time.Time, bool) {
	if len(s) == len("2006-01-02") && s[4] == '-' && s[7] == '-' {
		y, ok1 := digits(s[0:4])
		m, ok2 := digits(s[5:7])
		d, ok3 := digits(s[8:10])
		if ok1 && ok2 && ok3 && m >= 1 && m <= 12 && d >= 1 {
			t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
			if t.Day() == d { // not past the month's end
				return t, true
			}
		}
	}
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

// digits reads s as a decimal number of ASCII digits only.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// past reports whether date s is before today.
func (a *analyzer) past(s string) bool {
	t, ok := parseDate(s)
	return ok && t.Before(a.now)
}

// daysSince counts days from s to today; ok is false for an unparseable date.
func (a *analyzer) daysSince(s string) (int, bool) {
	t, ok := parseDate(s)
	if !ok {
		return 0, false
	}
	return int(a.now.Sub(t).Hours() / 24), true
}

func (a *analyzer) monthsAgo(n int) time.Time { return a.now.AddDate(0, -n, 0) }

// hasTODO reports whether a document still holds template placeholders,
// in a value or in its Markdown body.
func (a *analyzer) hasTODO(d *load.Document) bool {
	return d != nil && (d.HasTODO() || strings.Contains(d.Body, load.Placeholder))
}

func pos(d *load.Document, ptr ...any) diag.Pos {
	if d == nil {
		return diag.Pos{}
	}
	if len(ptr) == 0 {
		return d.Start()
	}
	return d.At(load.Pointer(ptr...))
}

// valueAt is the position of the value at ptr (a date, a digest), falling
// back to its key or parent like pos.
func valueAt(d *load.Document, ptr ...any) diag.Pos {
	if d == nil {
		return diag.Pos{}
	}
	return d.ValueAt(load.Pointer(ptr...))
}
