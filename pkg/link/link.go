package link

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/aims-dev/aims/pkg/catalog"
	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/load"
)

// Rule ids for reference problems.
const (
	CodeDuplicate   = "AIMS-R001" // an id defined twice
	CodeUnknownRef  = "AIMS-R002" // a reference to an id that does not exist
	CodeWrongKind   = "AIMS-R003" // a reference to a document of the wrong kind
	CodeUnknownReq  = "AIMS-R004" // a clause or control id not in the catalog
	CodePath        = "AIMS-R005" // an evidence path that does not exist or leaves the AIMS
	CodeManifest    = "AIMS-R006" // manifest missing, misplaced or repeated
	CodeUnknownTier = "AIMS-R007" // an AI system's risk tier is not defined
)

// Rules are the checks of this stage, for `aims rules`, SARIF and docs.
func Rules() []*diag.Rule {
	return []*diag.Rule{
		{
			ID: CodeDuplicate, Severity: diag.Error, Refs: []string{"7.5.2"},
			Title: "Duplicate id", Description: "Two documents share an id; both places are named.",
			Why: "Ids identify records (7.5.2); if two documents share one, every reference to it is ambiguous and the auditor cannot tell which risk, system or evidence is meant.",
			Fix: "Rename one of the two documents named in the message to a unique `id` (e.g. `risk-credit-bias-02`) and update every reference to it. This rule cannot be switched off.",
		},
		{
			ID: CodeUnknownRef, Severity: diag.Error, Refs: []string{"7.5.2"},
			Title: "Unknown reference", Description: "A reference to an id that no document defines.",
			Why: "A reference to a document that does not exist (an owner, a dataset, evidence) breaks the trace an auditor follows from a claim to its support (7.5.2).",
			Fix: "Correct the id to an existing document (the message suggests close matches) or create the missing document, e.g. a `kind: Person` for an `owner`, a `kind: Dataset` for an entry in `datasets`. This rule cannot be switched off.",
		},
		{
			ID: CodeWrongKind, Severity: diag.Error, Refs: []string{"7.5.2"},
			Title: "Reference to the wrong kind", Description: "A reference names a document of the wrong kind (an owner that is not a Person or Role, ...).",
			Why: "A reference that names the wrong kind of document (an owner that is an Evidence, a dpia that is a Dataset) means the link does not show what it claims, so the record is misleading (7.5.2).",
			Fix: "Point the field at a document of the kind the message names: `owner`, `approved_by` and `acceptance.approved_by` take a Person or Role id; `datasets` take Dataset ids; `suppliers` and `model.supplier` take Supplier ids; `privacy.dpia`, SoA `evidence` and `minutes` take Evidence ids. This rule cannot be switched off.",
		},
		{
			ID: CodeUnknownReq, Severity: diag.Error, Refs: []string{"6.1.3"},
			Title: "Unknown clause or control", Description: "A clause or Annex A control id that is not in ISO/IEC 42001:2023.",
			Why: "The SoA and evidence are mapped to the standard's clause and control ids (6.1.3); an id that does not exist (such as A.4.1, since every Annex A area starts at .2) means something is mapped to nothing and the auditor cannot place it.",
			Fix: "Replace the id with the correct ISO/IEC 42001:2023 clause or Annex A control, quoted, e.g. `\"A.6.2.4\"` rather than `\"A.6.4\"`; where a control is required (SoA rows, `treatment.controls`) name a control, not a group such as `A.6`. `aims catalog` lists the valid ids. This rule cannot be switched off.",
		},
		{
			ID: CodePath, Severity: diag.Error, Refs: []string{"7.5.3"},
			Title: "Evidence file missing", Description: "An evidence path that does not exist, is a folder or a symlink, or leaves the AIMS root.",
			Why: "Evidence must be available and protected (7.5.3); a path that does not exist, points to a folder, follows a symlink or leaves the repository cannot be produced for the auditor and is not under the AIMS's version control.",
			Fix: "Commit the file and set `path` relative to the AIMS root (e.g. `path: evidence/2026/vv-credit-model.pdf`), naming a file, not a folder or symlink; for material kept elsewhere use `url` instead of `path`. This rule cannot be switched off.",
		},
		{
			ID: CodeManifest, Severity: diag.Error, Refs: []string{"4.4"},
			Title: "Manifest problem", Description: "aims.yaml is missing its Manifest, holds more than one, or a Manifest is elsewhere.",
			Why: "The manifest defines the AIMS as a system (4.4): the organisation, the frameworks, the settings and the rule overrides; with none, several or one in the wrong place, aims and the auditor cannot tell which settings apply.",
			Fix: "Keep exactly one `kind: Manifest` document, in `aims.yaml` at the AIMS root, with `organization.name` and your `settings` and `rules`; remove or merge any other Manifest. This rule cannot be switched off.",
		},
		{
			ID: CodeUnknownTier, Severity: diag.Error, Refs: []string{"6.1.2"},
			Title: "Unknown risk tier", Description: "An AI system's risk tier is not defined in aims.yaml (default tiers: high, medium, low).",
			Why: "Risk tiers decide how much control each AI system gets (6.1.2); a system in a tier that is not defined receives no tier checks at all, so a high-risk system could pass unexamined.",
			Fix: "Set `risk_tier` to a tier defined under `settings.tiers` in `aims.yaml` (by default `high`, `medium` or `low`), or define the new tier there with its `requires` list. This rule cannot be switched off.",
		},
		{
			ID: CodeNumericID, Severity: diag.Warning,
			Title: "Clause id written as a number", Description: "An unquoted clause id such as 7.4 is a number to YAML; aims reads it as the id, other tools do not. Quote it.",
			Why:          "An unquoted clause id such as `7.4` is a number to YAML; aims reads it as the id, but other tools see a number and `7.10` even becomes `7.1`, so exports and dashboards built from the same files may map evidence to the wrong clause (7.5.2).",
			Fix:          "Quote clause and control ids: `satisfies: [\"7.4\", \"9\"]`, `scope: [\"9.2.1\"]`. If only aims reads the files, an override is honest, e.g. `severity: info` with a reason saying so, but quoting is a one-line fix.",
			Configurable: true,
		},
		unknownFramework,
	}
}

// Check verifies references across all documents. tiers are the risk tier
// names in force (from aims.yaml, or the defaults).
func Check(docs []*load.Document, fsys fs.FS, cat *catalog.Catalog, tiers []string) diag.List {
	return (*Memo)(nil).Check(docs, fsys, cat, tiers)
}

// Memo keeps, between the runs of a long-lived process (aims server), what
// checking each document's references found. What a reference resolves to
// depends on the document and on every id in the AIMS with its kind (the
// "did you mean" too), and a tier on the tiers in force: while those are
// the same, an unchanged document (the same *load.Document, see
// load.Memo) is not checked again. Evidence paths are always looked up.
type Memo struct {
	kinds map[string]string // id -> kind, of the last run
	tiers string
	docs  map[*load.Document]*found
	run   int
}

// found is what one document's references gave, and the last run it
// was kept for.
type found struct {
	l   diag.List
	run int
}

// NewMemo returns an empty Memo.
func NewMemo() *Memo { return &Memo{docs: map[*load.Document]*found{}} }

// Check is the package's Check, answered from m where it can; a nil m
// keeps nothing.
func (m *Memo) Check(docs []*load.Document, fsys fs.FS, cat *catalog.Catalog, tiers []string) diag.List {
	var out diag.List
	byID := map[string]*load.Document{}

	manifests := 0
	for _, d := range docs {
		if d.Kind == "Manifest" {
			// Only aims.yaml's Manifests count: a stray copy elsewhere is
			// misplaced, and does not make aims.yaml's own one a duplicate.
			if d.File == load.ManifestFile {
				manifests++
			}
			checkFrameworks(d, &out)
			if d.File != load.ManifestFile {
				out.Add(d.Start(), diag.Error, CodeManifest, "a Manifest belongs in %s at the AIMS root", load.ManifestFile)
			} else if manifests > 1 {
				out.Add(d.Start(), diag.Error, CodeManifest, "%s holds more than one Manifest", load.ManifestFile)
			}
		}
		if d.ID == "" {
			continue
		}
		if first, dup := byID[d.ID]; dup {
			msg := fmt.Sprintf("duplicate id %q", d.ID)
			out = append(out,
				diag.Diagnostic{Pos: d.ValueAt("/id"), Severity: diag.Error, Code: CodeDuplicate, Msg: msg, Related: []diag.Pos{first.ValueAt("/id")}},
				diag.Diagnostic{Pos: first.ValueAt("/id"), Severity: diag.Error, Code: CodeDuplicate, Msg: msg, Related: []diag.Pos{d.ValueAt("/id")}})
			continue
		}
		byID[d.ID] = d
	}
	if manifests == 0 {
		out.Add(diag.Pos{File: load.ManifestFile}, diag.Error, CodeManifest, "no Manifest document in %s", load.ManifestFile)
	}

	if m != nil {
		m.run++
		same := m.tiers == strings.Join(tiers, "\x00") && len(m.kinds) == len(byID)
		for id, d := range byID {
			if !same {
				break
			}
			same = m.kinds[id] == d.Kind
		}
		if !same { // nothing kept holds any more
			m.kinds = make(map[string]string, len(byID))
			for id, d := range byID {
				m.kinds[id] = d.Kind
			}
			m.tiers, m.docs = strings.Join(tiers, "\x00"), make(map[*load.Document]*found, len(docs))
		}
	}
	var own diag.List // what one document's references give, when kept
	c := checker{byID: byID, cat: cat, out: &out}
	if m != nil {
		c.out = &own
	}
	var buf []byte
	for _, d := range docs {
		var f *found
		if m != nil {
			f = m.docs[d]
		}
		if f == nil {
			own = nil
			for i := range refsOf(d.Kind) {
				r := &refsOf(d.Kind)[i]
				buf = c.walk(d, r, d.Root(), buf[:0], r.segs)
			}
			if d.Kind == "AISystem" {
				checkTier(d, tiers, c.out)
			}
			if m != nil {
				f = &found{l: own}
				m.docs[d] = f
			}
		}
		if m != nil {
			f.run = m.run
			out = append(out, f.l...)
		}
		if d.Kind == "Evidence" {
			v, _ := load.Get(d.Root(), "path")
			if p, ok := v.(string); ok {
				checkPath(d, "/path", p, fsys, &out)
			}
		}
	}
	if m != nil {
		for d, f := range m.docs {
			if f.run != m.run { // gone, or changed (a new value)
				delete(m.docs, d)
			}
		}
	}
	return out
}

// checkTier verifies an AI system's risk tier.
func checkTier(d *load.Document, tiers []string, out *diag.List) {
	v, _ := load.Get(d.Root(), "risk_tier")
	if t, ok := v.(string); ok && len(tiers) > 0 && !slices.Contains(tiers, t) {
		msg := fmt.Sprintf("risk tier %q is not defined", t)
		if s := diag.Suggest(t, tiers); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		} else {
			msg += " (tiers: " + strings.Join(tiers, ", ") + "; set them under settings.tiers in aims.yaml)"
		}
		out.Add(d.ValueAt("/risk_tier"), diag.Error, CodeUnknownTier, "%s", msg)
	}
}

type checker struct {
	byID map[string]*load.Document
	cat  *catalog.Catalog
	out  *diag.List
}

// check judges one reference. ptr is the value's JSON pointer in a buffer
// the walk reuses: it becomes a string only when there is something to
// report, since most references are fine (building every pointer was a
// third of this stage).
func (c *checker) check(d *load.Document, rawPtr []byte, v any, r *compiledRef) {
	id, ok := v.(string)
	if !ok || id == "" {
		return // the schema reports wrong types
	}
	ptr := func() string { return string(rawPtr) }
	// Where to report is looked up only when there is something to report:
	// most references are fine, and the lookup was 2 % of a warm run.
	pos := func() diag.Pos { return d.ValueAt(ptr()) }
	switch r.to {
	case toRequirement, toControl, toScope:
		e, ok := c.cat.Lookup(id)
		valid := ok && (e.Kind != catalog.Group || r.to == toScope) && (r.to != toControl || e.Kind == catalog.Control)
		if !valid {
			what := "clause or Annex A control"
			if r.to == toControl {
				what = "Annex A control"
			}
			msg := fmt.Sprintf("%s is not an ISO/IEC 42001 %s", id, what)
			if ok && e.Kind == catalog.Group {
				msg += " (it is a group; name the clause or control)"
			} else if s := c.cat.Suggest(id); s != "" {
				msg += fmt.Sprintf(" (did you mean %s?)", s)
			}
			c.out.Add(pos(), diag.Error, CodeUnknownReq, "%s", msg)
		}
		return
	}
	target, ok := c.byID[id]
	if !ok {
		msg := fmt.Sprintf("%s refers to unknown id %q", load.FieldName(ptr()), id)
		if s := diag.Suggest(id, c.candidates(r.ref)); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		c.out.Add(pos(), diag.Error, CodeUnknownRef, "%s", msg)
		return
	}
	if r.to != toAny && !slices.Contains(r.kinds, target.Kind) {
		c.out.Add(pos(), diag.Error, CodeWrongKind, "%s must name a %s, but %q is a %s", load.FieldName(ptr()), strings.Join(r.kinds, " or "), id, target.Kind)
	}
}

// candidates are the ids a reference could have meant, for "did you mean".
func (c *checker) candidates(r ref) []string {
	var ids []string
	for id, d := range c.byID {
		if r.to == toAny || slices.Contains(r.kinds, d.Kind) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// checkPath verifies an evidence file: inside the AIMS root and present.
func checkPath(d *load.Document, ptr, p string, fsys fs.FS, out *diag.List) {
	clean := path.Clean(strings.TrimPrefix(p, "./"))
	if path.IsAbs(p) || !fs.ValidPath(clean) || clean == "." {
		out.Add(d.ValueAt(ptr), diag.Error, CodePath, "evidence path %q must be relative and stay inside the AIMS root", p)
		return
	}
	info, err := fs.Lstat(fsys, clean)
	switch {
	case err != nil:
		out.Add(d.ValueAt(ptr), diag.Error, CodePath, "evidence file %q does not exist", p)
	case info.Mode()&fs.ModeSymlink != 0:
		out.Add(d.ValueAt(ptr), diag.Error, CodePath, "evidence file %q is a symbolic link; aims does not follow links out of the repository", p)
	case info.IsDir():
		out.Add(d.ValueAt(ptr), diag.Error, CodePath, "evidence path %q is a folder; name a file", p)
	}
}

// CodeNumericID warns that a clause id was written as a YAML number.
const CodeNumericID = "AIMS-Y002"

// NormalizeIDs turns clause ids that YAML read as numbers (7.4, 9) back into
// the text the user wrote, before schema validation, so `satisfies: [7.4]`
// means clause 7.4. Other YAML tools still read a number, hence the warning.
func NormalizeIDs(d *load.Document) diag.List {
	var out diag.List
	var buf []byte
	for _, r := range refsOf(d.Kind) {
		if r.to != toRequirement && r.to != toControl && r.to != toScope {
			continue
		}
		buf = set(d.Value, buf[:0], r.segs, func(rawPtr []byte, v any) (any, bool) {
			switch v.(type) {
			case int64, float64:
			default:
				return nil, false
			}
			ptr := string(rawPtr)
			raw, ok := d.Raw(ptr)
			if !ok {
				return nil, false
			}
			out.Add(d.ValueAt(ptr), diag.Warning, CodeNumericID, "clause id %s is a number in YAML; write %q so every tool reads it as text", raw, raw)
			return raw, true
		})
	}
	return out
}

// set is walk with the power to replace a value: fn returns the new value
// and whether to replace. Pointers are appended to ptr, a buffer reused
// from call to call (fn gets a string of it only when a value is a
// number); it returns the buffer.
func set(v any, ptr []byte, segs []string, fn func(ptr []byte, v any) (any, bool)) []byte {
	if len(segs) == 0 {
		return ptr
	}
	seg, last, n := segs[0], len(segs) == 1, len(ptr)
	if seg == "*" {
		list, _ := v.([]any)
		for i := range list {
			ptr = strconv.AppendInt(append(ptr[:n], '/'), int64(i), 10)
			if last {
				if nv, ok := fn(ptr, list[i]); ok {
					list[i] = nv
				}
				continue
			}
			ptr = set(list[i], ptr, segs[1:], fn)
		}
		return ptr
	}
	m, _ := v.(map[string]any)
	child, ok := m[seg]
	if !ok {
		return ptr
	}
	ptr = append(append(ptr[:n], '/'), seg...)
	if last {
		if nv, ok := fn(ptr, child); ok {
			m[seg] = nv
		}
		return ptr
	}
	return set(child, ptr, segs[1:], fn)
}

// walk checks every value matching the pattern segments below v, with
// its pointer appended to ptr; it returns the buffer for the next walk.
func (c *checker) walk(d *load.Document, r *compiledRef, v any, ptr []byte, segs []string) []byte {
	if len(segs) == 0 {
		c.check(d, ptr, v, r)
		return ptr
	}
	seg, n := segs[0], len(ptr)
	if seg == "*" {
		list, _ := v.([]any)
		for i, item := range list {
			ptr = strconv.AppendInt(append(ptr[:n], '/'), int64(i), 10)
			ptr = c.walk(d, r, item, ptr, segs[1:])
		}
		return ptr
	}
	if child, ok := load.Get(v, seg); ok {
		ptr = c.walk(d, r, child, append(append(ptr[:n], '/'), seg...), segs[1:])
	}
	return ptr
}
