package draft

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/templates"
)

// Kind is a document kind `aims new` can write.
type Kind struct {
	Name   string // as in the kind: field
	Folder string // conventional folder, relative to the AIMS root
	Ext    string // .yaml, or .md for Markdown documents
}

// template is the name of the kind's file in templates/new.
func (k Kind) template() string { return strings.ToLower(k.Name) + k.Ext }

// Kinds lists every document kind, sorted by name.
var Kinds = []Kind{
	{"AISystem", "systems", ".yaml"},
	{"Applicability", ".", ".yaml"},
	{"Audit", "records", ".yaml"},
	{"Awareness", "organization", ".yaml"},
	{"Change", "planning", ".yaml"},
	{"Communication", "organization", ".yaml"},
	{"Competence", "organization", ".yaml"},
	{"Dataset", "data", ".yaml"},
	{"Evidence", "records/evidence", ".yaml"},
	{"ImpactAssessment", "impact", ".yaml"},
	{"ManagementReview", "records", ".yaml"},
	{"Manifest", ".", ".yaml"},
	{"Nonconformity", "records", ".yaml"},
	{"Objective", "planning", ".yaml"},
	{"Person", "organization", ".yaml"},
	{"Policy", "policies", ".md"},
	{"Process", "planning", ".yaml"},
	{"Risk", "risk", ".yaml"},
	{"RiskCriteria", "risk", ".yaml"},
	{"Role", "organization", ".yaml"},
	{"Scope", ".", ".yaml"},
	{"Supplier", "suppliers", ".yaml"},
}

// Lookup finds a kind by name, ignoring case, '-' and '_' (risk,
// impact-assessment, AISystem), or says which kinds exist.
func Lookup(name string) (Kind, error) {
	norm := func(s string) string {
		return strings.ToLower(strings.NewReplacer("-", "", "_", "").Replace(s))
	}
	var names []string
	for _, k := range Kinds {
		if norm(k.Name) == norm(name) {
			return k, nil
		}
		names = append(names, strings.ToLower(k.Name))
	}
	msg := fmt.Sprintf("unknown kind %q", name)
	if s := diag.Suggest(norm(name), names); s != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", s)
	}
	return Kind{}, fmt.Errorf("%s; kinds: %s", msg, strings.Join(names, ", "))
}

// Options say what to draft.
type Options struct {
	Kind  Kind
	ID    string    // "" picks a free one from the title or the kind
	Title string    // "" leaves a TODO
	Today time.Time // dates in the draft
	// Tiers are the risk tier names in force (an AISystem needs one).
	Tiers []string
	// SchemaDir is where the JSON Schemas are exported, relative to the
	// AIMS root, for the modeline.
	SchemaDir string
	// Exists reports whether a slash path relative to the AIMS root is
	// taken, so a generated id never lands on an existing file.
	Exists func(string) bool
}

// File is a drafted document.
type File struct {
	Path string // slash path relative to the AIMS root
	ID   string
	Data []byte
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// New drafts a document of opts.Kind for the AIMS m (nil when there is none
// yet, for a manifest).
func New(m *aims.Model, opts Options) (File, error) {
	if m == nil {
		m = aims.Build(nil)
	}
	k := opts.Kind
	exists := opts.Exists
	if exists == nil {
		exists = func(string) bool { return false }
	}
	folder := Folder(m, k)
	var id string
	switch {
	case k.Name == "Manifest":
		if opts.ID != "" {
			return File{}, fmt.Errorf("a manifest has no id; it is always aims.yaml at the AIMS root")
		}
	case opts.ID != "":
		if !idPattern.MatchString(opts.ID) || len(opts.ID) > 100 {
			return File{}, fmt.Errorf("id %q: use letters, digits, '.', '_' and '-', starting with a letter or digit", opts.ID)
		}
		if err := CheckFree(m, opts.ID); err != nil {
			return File{}, err
		}
		id = opts.ID
	default:
		base := Slug(opts.Title)
		if base == "" {
			base = strings.ToLower(k.Name) + "-new"
		}
		id = FreeID(m, base, func(id string) bool { return exists(path.Join(folder, id+k.Ext)) })
	}
	p := path.Join(folder, id+k.Ext)
	if k.Name == "Manifest" {
		p = "aims.yaml"
	}

	title := opts.Title
	if title == "" {
		title = "TODO: title of the new " + k.Name
	}
	schemaDir := cmp.Or(opts.SchemaDir, ".aims/schemas")
	data := map[string]string{
		"ID":      id,
		"Title":   quote(title),
		"Heading": strings.TrimPrefix(title, "TODO: "),
		"Owner":   cmp.Or(Owner(m, k.Name), "TODO-owner"),
		"System":  cmp.Or(system(m), "TODO-system"),
		"Policy":  cmp.Or(aiPolicy(m), "TODO-policy"),
		"Tier":    Tier(opts.Tiers),
		"Level":   fmt.Sprint(level(m)),
		"Date":    opts.Today.Format(time.DateOnly),
		"Due":     opts.Today.AddDate(1, 0, 0).Format(time.DateOnly),
		"Schemas": Relative(path.Dir(p), schemaDir),
	}
	src, err := fs.ReadFile(templates.New, "new/"+k.template())
	if err != nil {
		return File{}, fmt.Errorf("no template for %s: %w", k.Name, err)
	}
	t, err := template.New(k.template()).Option("missingkey=error").Parse(string(src))
	if err != nil {
		return File{}, err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return File{}, err
	}
	return File{Path: p, ID: id, Data: b.Bytes()}, nil
}

// IDInUseError says a new document's id is taken. Pos is relative to the
// AIMS root; the caller may show it from elsewhere.
type IDInUseError struct {
	ID, Kind string
	Pos      diag.Pos
}

func (e *IDInUseError) Error() string {
	return fmt.Sprintf("id %q is already used by the %s at %s", e.ID, e.Kind, e.Pos)
}

// CheckFree returns an *IDInUseError when id is taken in m.
func CheckFree(m *aims.Model, id string) error {
	d, ok := m.ByID[id]
	if !ok {
		return nil
	}
	h := d.Header()
	e := &IDInUseError{ID: id, Kind: h.Kind}
	if h.Doc != nil {
		e.Pos = h.Doc.Start()
	}
	return e
}

// Folder is where documents of kind k live in m: the folder holding most of
// them (the first by name on a tie), else the conventional one.
func Folder(m *aims.Model, k Kind) string {
	count := map[string]int{}
	for _, d := range m.All {
		if h := d.Header(); h.Kind == k.Name && h.Doc != nil {
			count[path.Dir(h.Doc.File)]++
		}
	}
	best := ""
	for dir, n := range count {
		if best == "" || n > count[best] || n == count[best] && dir < best {
			best = dir
		}
	}
	return cmp.Or(best, k.Folder)
}

// FreeID is base, or base-2, base-3, ... whichever is neither an id in m
// nor taken by a file.
func FreeID(m *aims.Model, base string, taken func(id string) bool) string {
	id := base
	for n := 2; ; n++ {
		if _, used := m.ByID[id]; !used && !taken(id) {
			return id
		}
		id = fmt.Sprintf("%s-%d", base, n)
	}
}

// Slug turns a title into an id: lower case ASCII letters and digits joined
// by '-', at most 60 characters.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		default:
			dash = true
		}
		if b.Len() >= 60 {
			break
		}
	}
	return strings.TrimRight(b.String(), "-")
}

// Owner is the Person or Role that most often owns documents of this kind,
// else documents of any kind, else the first role: new work usually goes
// to whoever holds that kind of work already.
func Owner(m *aims.Model, kind string) string {
	pick := func(sameKind bool) string {
		count := map[string]int{}
		for _, d := range m.All {
			h := d.Header()
			if h.Owner == "" || sameKind && h.Kind != kind {
				continue
			}
			switch m.ByID[h.Owner].(type) {
			case *aims.Person, *aims.Role:
				count[h.Owner]++
			}
		}
		best := ""
		for o, n := range count {
			if best == "" || n > count[best] || n == count[best] && o < best {
				best = o
			}
		}
		return best
	}
	if o := cmp.Or(pick(true), pick(false)); o != "" {
		return o
	}
	if len(m.Roles) > 0 {
		return m.Roles[0].ID
	}
	if len(m.People) > 0 {
		return m.People[0].ID
	}
	return ""
}

// aiPolicy is the AI policy's id, the first one listed.
func aiPolicy(m *aims.Model) string {
	for _, p := range m.Policies {
		if p.Type == "ai_policy" {
			return p.ID
		}
	}
	return ""
}

// system is the first AI system that is not retired.
func system(m *aims.Model) string {
	for _, s := range m.Systems {
		if s.Stage != "retired" {
			return s.ID
		}
	}
	return ""
}

// Tier is the risk tier a new AI system starts in: medium where it exists.
func Tier(tiers []string) string {
	if len(tiers) == 0 || slices.Contains(tiers, "medium") {
		return "medium"
	}
	return slices.Min(tiers)
}

// level is the middle of the likelihood scale in the risk criteria.
func level(m *aims.Model) int {
	top := 0
	for _, c := range m.RiskCriteria {
		for _, l := range c.Likelihood {
			top = max(top, l.Level)
		}
	}
	if top == 0 {
		return 3
	}
	return (top + 1) / 2
}

// quote writes s as a YAML double-quoted scalar (JSON strings are valid YAML).
func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// Relative is the slash path from folder dir to target, both relative to
// the same root.
func Relative(dir, target string) string {
	if dir == "." {
		return target
	}
	return strings.Repeat("../", strings.Count(dir, "/")+1) + target
}
