package link

import "strings"

// target says what a reference may point at.
type target int

const (
	toPerson      target = iota // a Person or Role
	toKind                      // a document of one of kinds
	toRequirement               // a clause or control id in the catalog
	toControl                   // an Annex A control id
	toScope                     // a requirement, a clause group (4-10) or an Annex A area (A.2-A.10)
	toAny                       // any document
)

type ref struct {
	path  string // slash-separated field path; "*" is every list item
	to    target
	kinds []string // the kinds a document it names may be (not for requirements)
}

func person(path string) ref            { return ref{path: path, to: toPerson, kinds: []string{"Person", "Role"}} }
func kind(path string, k ...string) ref { return ref{path: path, to: toKind, kinds: k} }
func requirement(path string) ref       { return ref{path: path, to: toRequirement} }
func control(path string) ref           { return ref{path: path, to: toControl} }

// common are the document-control references every kind may carry.
var common = []ref{person("owner"), person("approved_by")}

// refs lists, per kind, every field that references something else.
var refs = map[string][]ref{
	"Scope":        {kind("systems/included/*", "AISystem"), kind("roles/*/system", "AISystem")},
	"Policy":       {requirement("satisfies/*")},
	"Manifest":     {kind("approvals/*/roles/*", "Role")},
	"RiskCriteria": {kind("acceptance_authority/*/role", "Role")},
	"Role":         {kind("reports_to", "Role")},
	"Person":       {kind("roles/*", "Role")},
	"Objective":    {kind("policy", "Policy")},
	"Risk": {kind("systems/*", "AISystem"), control("treatment/controls/*"), person("treatment/owner"),
		person("acceptance/approved_by")},
	"Applicability": {control("controls/*/control"), kind("controls/*/evidence/*", "Evidence"), person("controls/*/owner")},
	"AISystem": {kind("model/supplier", "Supplier"), kind("datasets/*", "Dataset"), kind("suppliers/*", "Supplier"),
		kind("privacy/dpia", "Evidence"), person("deployment/approved_by")},
	"Dataset":          {person("representativeness/reviewed_by")},
	"ImpactAssessment": {kind("system", "AISystem"), control("mitigations/*/controls/*"), kind("mitigations/*/risks/*", "Risk")},
	"Supplier":         {person("due_diligence/performed_by"), kind("due_diligence/evidence/*", "Evidence")},
	"Competence":       {person("subject"), kind("records/*/evidence", "Evidence")},
	"Communication":    {kind("records/*/evidence", "Evidence")},
	"Awareness":        {kind("policy", "Policy"), kind("records/*/evidence", "Evidence")},
	"Process": {control("controls/*"), kind("systems/*", "AISystem"), kind("procedure", "Evidence"),
		kind("records/*/evidence", "Evidence")},
	"Change":   {{path: "affects/*", to: toAny}},
	"Evidence": {requirement("satisfies/*"), kind("systems/*", "AISystem"), kind("attestation/by", "Person")},
	"Audit": {{path: "scope/*", to: toScope}, person("auditor/person"), requirement("findings/*/requirement"),
		kind("findings/*/nonconformity", "Nonconformity"), kind("report", "Evidence")},
	"ManagementReview": {person("chair"), person("attendees/*"), person("actions/*/owner"), kind("minutes", "Evidence")},
	"Nonconformity": {kind("audit", "Audit"), requirement("requirements/*"), kind("systems/*", "AISystem"),
		person("corrective_actions/*/owner"), person("effectiveness/reviewed_by")},
}

// compiledRef is a ref with its path split once.
type compiledRef struct {
	ref
	segs []string
}

// byKind holds, per kind, the common references and the kind's own, split
// once instead of once per document; commonOnly serves kinds without any.
var byKind, commonOnly = func() (map[string][]compiledRef, []compiledRef) {
	compile := func(rs ...[]ref) []compiledRef {
		var out []compiledRef
		for _, l := range rs {
			for _, r := range l {
				out = append(out, compiledRef{ref: r, segs: strings.Split(r.path, "/")})
			}
		}
		return out
	}
	m := map[string][]compiledRef{}
	for k, rs := range refs {
		m[k] = compile(common, rs)
	}
	return m, compile(common)
}()

// refsOf is every reference a document of kind k may carry.
func refsOf(k string) []compiledRef {
	if rs, ok := byKind[k]; ok {
		return rs
	}
	return commonOnly
}

// Fields are the fields Check reads from the values of a document of kind
// k (field paths as load.NewProjection takes them): every reference, and
// what it checks beside them. A caller may drop the rest of a document's
// values (load.Document.Project) before Check.
func Fields(k string) []string {
	var out []string
	for _, r := range refsOf(k) {
		out = append(out, r.path)
	}
	switch k {
	case "Evidence":
		out = append(out, "path")
	case "AISystem":
		out = append(out, "risk_tier")
	case "Manifest":
		out = append(out, "frameworks")
	}
	return out
}
