package schema

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/load"
	"github.com/aims-dev/aims/schemas"
)

// Rule ids for schema problems.
const (
	CodeHeader   = "AIMS-S001" // apiVersion or kind missing or unknown
	CodeUnknown  = "AIMS-S002" // unknown field
	CodeRequired = "AIMS-S003" // missing required field
	CodeType     = "AIMS-S004" // wrong type
	CodeValue    = "AIMS-S005" // value not allowed (enum, pattern, range, length)
	CodeDate     = "AIMS-S006" // not a YYYY-MM-DD date
)

// Rules are the checks of this stage, for `aims rules`, SARIF and docs.
func Rules() []*diag.Rule {
	return []*diag.Rule{
		{
			ID: CodeHeader, Severity: diag.Error, Refs: []string{"7.5.2"},
			Title: "Unknown document header", Description: "apiVersion or kind is missing or unknown.",
			Why: "Each record must be identifiable as what it is (7.5.2); without a known `apiVersion` and `kind` aims cannot tell which requirements the document supports or check it.",
			Fix: "Set `apiVersion: aims/v1` and a `kind` from the list in the message (e.g. `kind: Risk`, `kind: AISystem`); kinds are case-sensitive. This rule cannot be switched off.",
		},
		{
			ID: CodeUnknown, Severity: diag.Error, Refs: []string{"7.5.2"},
			Title: "Unknown field", Description: "A field the schema does not define (often a typo).",
			Why: "A field the schema does not know is usually a typo, and the value the author meant to record is then silently ignored; the auditor would see a record that seems complete but counts for nothing (7.5.2).",
			Fix: "Rename the field to the one the message suggests (`aims schema KIND` lists the valid fields, e.g. `next_review`, not `review_date`), or move free text into `description` and labels into `tags`. This rule cannot be switched off.",
		},
		{
			ID: CodeRequired, Severity: diag.Error, Refs: []string{"7.5.2"},
			Title: "Missing required field", Description: "A field the schema requires is absent.",
			Why: "Required fields carry the facts a record exists to hold (owner, dates, the decision); a record without them is incomplete documented information (7.5.2) and aims cannot check it.",
			Fix: "Add the field named in the message, e.g. `owner: aims-manager` on a Risk or `justification` on an excluded system; `aims schema KIND` shows every required field. This rule cannot be switched off.",
		},
		{
			ID: CodeType, Severity: diag.Error, Refs: []string{"7.5.2"},
			Title: "Wrong type", Description: "A value of the wrong type (text for a number, a list for a mapping...).",
			Why: "A value of the wrong type (text where a number or list is expected) cannot be compared, scored or checked, so the record does not say what it seems to (7.5.2).",
			Fix: "Write the value in the type the schema expects: numbers unquoted (`likelihood: 3`), lists as lists (`intended_uses: [\"credit scoring\"]`), mappings as indented fields (`treatment:` with `option:` beneath). This rule cannot be switched off.",
		},
		{
			ID: CodeValue, Severity: diag.Error, Refs: []string{"7.5.2"},
			Title: "Value not allowed", Description: "A value outside its allowed set, pattern, range or length.",
			Why: "Enumerations and patterns keep records consistent and comparable (7.5.2); a value outside the allowed set, such as an unknown stage or a misspelt status, makes checks and reports silently wrong.",
			Fix: "Use one of the allowed values listed in the message (e.g. `stage: deployed`, `status: approved`, `treatment.option: mitigate`) or fix the pattern, range or length (ids like `risk-credit-01`, clause ids like `\"6.1.3\"`). This rule cannot be switched off.",
		},
		{
			ID: CodeDate, Severity: diag.Error, Refs: []string{"7.5.2"},
			Title: "Invalid date", Description: "A date that is not YYYY-MM-DD.",
			Why: "Review, approval and collection dates are how an auditor judges whether a record is current; a date that is not a real `YYYY-MM-DD` date cannot be checked (7.5.2).",
			Fix: "Write the date as `YYYY-MM-DD`, e.g. `approved_on: 2026-03-31` (not `31/03/2026` or `2026-3-31`), and make sure the day exists. This rule cannot be switched off.",
		},
	}
}

// base is where the embedded schemas live for the compiler. jsonschema/v6
// checks every schema document against its metaschema as it loads it,
// except documents under json-schema.org, which are trusted. Ours are
// embedded and fixed at build time, and TestEmbeddedSchemasPassMetaschema
// checks them under checkedBase; checking them again in every run was half
// of schema compilation and a sixth of `aims check` on the example. The
// URL is never fetched: every schema is added from memory.
const (
	base        = "https://json-schema.org/aims-embedded/schemas/"
	checkedBase = "mem:///schemas/"
)

// PublishedBase starts every exported schema's $id, so relative $refs
// resolve by id for editors and other validators reading the exported
// files (aims schema --out, aims init).
const PublishedBase = "https://raw.githubusercontent.com/aims-dev/aims/main/schemas/"

// Validator validates documents. It is safe for concurrent use.
type Validator struct {
	mu       sync.Mutex
	base     string
	compiler *jsonschema.Compiler
	compiled map[string]compiled
	mirrors  map[*jsonschema.Schema]*fastNode
	raw      map[string]any // file name -> parsed schema, for field names and descriptions
	kinds    map[string]string
	printer  *message.Printer

	noShortcut bool // for the test that compares the shortcut with the library's own path
	noFast     bool // for the test that compares the fast path with the library
}

// compiled is a schema and its fast path.
type compiled struct {
	schema *jsonschema.Schema
	fast   *fastNode
}

// New reads the embedded schemas; nothing is compiled yet. Each kind's
// schema is compiled the first time a document of that kind is validated,
// so a run compiles only the schemas it meets.
func New() (*Validator, error) { return newAt(base) }

func newAt(base string) (*Validator, error) {
	v := &Validator{
		base:     base,
		compiler: jsonschema.NewCompiler(),
		compiled: map[string]compiled{},
		mirrors:  map[*jsonschema.Schema]*fastNode{},
		raw:      map[string]any{},
		kinds:    map[string]string{},
		printer:  message.NewPrinter(language.English),
	}
	v.compiler.DefaultDraft(jsonschema.Draft2020)
	v.compiler.AssertFormat()
	v.compiler.UseRegexpEngine(compileRegexp)
	files, err := fs.Glob(schemas.FS, "*.schema.json")
	if err != nil {
		return nil, err
	}
	for _, name := range files {
		b, err := fs.ReadFile(schemas.FS, name)
		if err != nil {
			return nil, err
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("schema %s: %w", name, err)
		}
		// The exported files carry their published $id, which editors and
		// other validators resolve by; in memory each schema is identified
		// by where it was added, so its relative $refs resolve among the
		// embedded ones and nothing is ever fetched.
		if m, ok := doc.(map[string]any); ok {
			m["$id"] = v.base + name
		}
		if err := v.compiler.AddResource(v.base+name, doc); err != nil {
			return nil, fmt.Errorf("schema %s: %w", name, err)
		}
		v.raw[name] = doc
		// A kind's schema pins its kind with const; that is the dispatch table.
		if k, ok := lookup(doc, "/properties/kind/const").(string); ok {
			v.kinds[k] = name
		}
	}
	return v, nil
}

// Kinds returns the document kinds that have a schema, sorted.
func (v *Validator) Kinds() []string {
	return slices.Sorted(maps.Keys(v.kinds))
}

func (v *Validator) schema(file string) (compiled, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if c, ok := v.compiled[file]; ok {
		return c, nil
	}
	s, err := v.compiler.Compile(v.base + file)
	if err != nil {
		return compiled{}, fmt.Errorf("compile schema %s: %w", file, err)
	}
	if !v.noShortcut {
		shortcut(s, map[*jsonschema.Schema]bool{})
	}
	c := compiled{schema: s}
	if !v.noFast {
		c.fast = mirror(s, v.mirrors)
	}
	v.compiled[file] = c
	return c, nil
}

// Validate checks one document against the schema of its kind.
func (v *Validator) Validate(d *load.Document) (diag.List, error) {
	var out diag.List
	if d.APIVersion == "" {
		out.Add(d.Start(), diag.Error, CodeHeader, "missing apiVersion (want %q)", "aims/v1")
	}
	if d.Kind == "" {
		out.Add(d.Start(), diag.Error, CodeHeader, "missing kind (one of %s)", strings.Join(v.Kinds(), ", "))
		return out, nil
	}
	file, ok := v.kinds[d.Kind]
	if !ok {
		msg := fmt.Sprintf("unknown kind %q", d.Kind)
		if s := diag.Suggest(d.Kind, v.Kinds()); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		} else {
			msg += " (one of " + strings.Join(v.Kinds(), ", ") + ")"
		}
		out.Add(d.ValueAt("/kind"), diag.Error, CodeHeader, "%s", msg)
		return out, nil
	}
	s, err := v.schema(file)
	if err != nil {
		return nil, err
	}
	return append(out, v.check(s, d, d.Value)...), nil
}

// ValidateValue checks any value against a named schema file (for example
// result.schema.json for bias results), positioned within d.
func (v *Validator) ValidateValue(file string, d *load.Document, value any) (diag.List, error) {
	s, err := v.schema(file)
	if err != nil {
		return nil, err
	}
	return v.check(s, d, value), nil
}

func (v *Validator) check(c compiled, d *load.Document, value any) diag.List {
	if c.fast != nil && c.fast.check(value, 0) == valid {
		return nil
	}
	err := c.schema.Validate(value)
	if err == nil {
		return nil
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		var l diag.List
		l.Add(d.Start(), diag.Error, CodeValue, "%v", err)
		return l
	}
	var out diag.List
	v.collect(ve, d, &out)
	return out
}

// collect walks the error tree down to its leaves: the groups above them
// ("doesn't validate with ...") say nothing a user can act on.
func (v *Validator) collect(e *jsonschema.ValidationError, d *load.Document, out *diag.List) {
	switch k := e.ErrorKind.(type) {
	case *kind.AnyOf, *kind.OneOf:
		v.alternatives(e, d, out)
		return
	case *kind.Group, *kind.Schema, *kind.Reference, *kind.AllOf:
		for _, c := range e.Causes {
			v.collect(c, d, out)
		}
		return
	default:
		_ = k
	}
	*out = append(*out, v.leaf(e, d)...)
}

// alternatives explains a failed anyOf/oneOf. The common case in our schemas
// is "one of these fields is required" (an evidence path or url).
func (v *Validator) alternatives(e *jsonschema.ValidationError, d *load.Document, out *diag.List) {
	var missing []string
	for _, c := range e.Causes {
		r, ok := c.ErrorKind.(*kind.Required)
		if !ok {
			// Not a pure choice of fields: report the first branch's problems.
			v.collect(e.Causes[0], d, out)
			return
		}
		missing = append(missing, r.Missing...)
	}
	ptr := pointer(e.InstanceLocation)
	out.Add(d.At(ptr), diag.Error, CodeRequired, "%s needs one of the fields %s", load.FieldName(pointer(e.InstanceLocation)), quoteList(missing))
}

func (v *Validator) leaf(e *jsonschema.ValidationError, d *load.Document) diag.List {
	var out diag.List
	loc := e.InstanceLocation
	ptr := pointer(loc)
	field := load.FieldName(ptr)
	switch k := e.ErrorKind.(type) {
	case *kind.AdditionalProperties:
		props := v.fieldsAt(e.SchemaURL)
		for _, p := range k.Properties {
			msg := fmt.Sprintf("unknown field %q", p)
			if s := diag.Suggest(p, props); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			} else if len(props) > 0 && len(props) <= 12 {
				msg += " (fields here: " + strings.Join(props, ", ") + ")"
			}
			if len(loc) > 0 {
				msg += " in " + field
			}
			out.Add(d.At(ptr+"/"+escape(p)), diag.Error, CodeUnknown, "%s", msg)
		}
	case *kind.Required:
		for _, m := range k.Missing {
			msg := fmt.Sprintf("missing required field %q", m)
			if len(loc) > 0 {
				msg += " in " + field
			}
			out.Add(d.At(ptr), diag.Error, CodeRequired, "%s", msg)
		}
	case *kind.DependentRequired:
		// Point at the field that needs the others, not at its parent.
		for _, m := range k.Missing {
			out.Add(d.At(ptr+"/"+escape(k.Prop)), diag.Error, CodeRequired, "%s needs %q beside it", load.FieldName(ptr+"/"+escape(k.Prop)), m)
		}
	case *kind.Type:
		out.Add(d.ValueAt(ptr), diag.Error, CodeType, "%s must be %s, not %s", field, article(k.Want), k.Got)
	case *kind.Enum:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = fmt.Sprint(w)
		}
		msg := fmt.Sprintf("%s: %s is not allowed (want one of %s)", field, display(k.Got), strings.Join(want, ", "))
		if got, ok := k.Got.(string); ok {
			if s := diag.Suggest(got, want); s != "" {
				msg = fmt.Sprintf("%s: %s is not allowed (did you mean %q?)", field, display(k.Got), s)
			}
		}
		out.Add(d.ValueAt(ptr), diag.Error, CodeValue, "%s", msg)
	case *kind.Const:
		out.Add(d.ValueAt(ptr), diag.Error, CodeValue, "%s must be %s, not %s", field, display(k.Want), display(k.Got))
	case *kind.Format:
		if k.Want == "date" {
			out.Add(d.ValueAt(ptr), diag.Error, CodeDate, "%s: %s is not a valid date (want YYYY-MM-DD)", field, display(k.Got))
		} else {
			out.Add(d.ValueAt(ptr), diag.Error, CodeValue, "%s: %s is not a valid %s", field, display(k.Got), k.Want)
		}
	case *kind.Pattern:
		msg := fmt.Sprintf("%s: %s is not valid", field, display(k.Got))
		if desc, _ := v.lookupURL(e.SchemaURL, "description").(string); desc != "" {
			msg += " (" + strings.TrimSuffix(desc, ".") + ")"
		}
		out.Add(d.ValueAt(ptr), diag.Error, CodeValue, "%s", msg)
	case *kind.MinLength:
		if k.Want == 1 {
			out.Add(d.ValueAt(ptr), diag.Error, CodeValue, "%s must not be empty", field)
		} else {
			out.Add(d.ValueAt(ptr), diag.Error, CodeValue, "%s needs at least %d characters", field, k.Want)
		}
	case *kind.MinItems:
		out.Add(d.At(ptr), diag.Error, CodeValue, "%s needs at least %d item%s", field, k.Want, plural(k.Want))
	case *kind.PropertyNames:
		// jsonschema/v6 keeps a slice of its working location here, which
		// later siblings overwrite: the depth is right, the names may not
		// be. The map is the one at that depth that holds the key.
		ptr = keyOwner(d, ptr, len(loc), k.Property)
		key := ptr + "/" + escape(k.Property)
		msg := fmt.Sprintf("%s: %q is not a valid key", load.FieldName(ptr), k.Property)
		if ptr == "" {
			msg = fmt.Sprintf("%q is not a valid key", k.Property)
		}
		if desc := v.descriptionAt(e.SchemaURL); desc != "" {
			msg += " (" + strings.TrimSuffix(desc, ".") + ")"
		}
		out.Add(d.At(key), diag.Error, CodeValue, "%s", msg)
	case *kind.UniqueItems:
		out.Add(d.At(ptr), diag.Error, CodeValue, "%s: items %d and %d are the same", field, k.Duplicates[0], k.Duplicates[1])
	default:
		out.Add(d.ValueAt(ptr), diag.Error, CodeValue, "%s: %s", field, e.ErrorKind.LocalizedString(v.printer))
	}
	return out
}

// keyOwner is the pointer of the mapping at depth that holds key: claimed
// when it does, else the first such mapping in the file (the one nearest
// its start), else claimed.
func keyOwner(d *load.Document, claimed string, depth int, key string) string {
	var found []string
	var walk func(v any, ptr string, level int)
	walk = func(v any, ptr string, level int) {
		switch c := v.(type) {
		case map[string]any:
			if level == depth {
				if _, ok := c[key]; ok {
					found = append(found, ptr)
				}
				return
			}
			for k, x := range c {
				walk(x, ptr+"/"+escape(k), level+1)
			}
		case []any:
			for i, x := range c {
				walk(x, ptr+"/"+strconv.Itoa(i), level+1)
			}
		}
	}
	walk(d.Value, "", 0)
	if len(found) == 0 || slices.Contains(found, claimed) {
		return claimed
	}
	first := func(a, b string) int {
		pa, pb := d.At(a+"/"+escape(key)), d.At(b+"/"+escape(key))
		return cmp.Or(cmp.Compare(pa.Line, pb.Line), cmp.Compare(pa.Col, pb.Col), strings.Compare(a, b))
	}
	return slices.MinFunc(found, first)
}

// descriptionAt is the description of the subschema at url itself (not of
// one around it), or "".
func (v *Validator) descriptionAt(url string) string {
	file, frag, _ := strings.Cut(strings.TrimPrefix(url, v.base), "#")
	m, _ := lookup(v.raw[file], frag).(map[string]any)
	desc, _ := m["description"].(string)
	return desc
}

// fieldsAt lists the properties allowed where an additionalProperties error
// occurred, for "did you mean".
func (v *Validator) fieldsAt(schemaURL string) []string {
	props, _ := v.lookupURL(schemaURL, "properties").(map[string]any)
	return slices.Sorted(maps.Keys(props))
}

// lookupURL resolves "<base>x.schema.json#/a/b" (pointing at the
// keyword or the subschema) and returns key of the enclosing subschema.
func (v *Validator) lookupURL(url, key string) any {
	file, frag, _ := strings.Cut(strings.TrimPrefix(url, v.base), "#")
	doc, ok := v.raw[file]
	if !ok {
		return nil
	}
	// The URL may end in the failing keyword (".../additionalProperties");
	// walk up until a subschema holds key.
	for {
		if m, ok := lookup(doc, frag).(map[string]any); ok {
			if val, ok := m[key]; ok {
				return val
			}
		}
		i := strings.LastIndexByte(frag, '/')
		if i < 0 {
			return nil
		}
		frag = frag[:i]
	}
}

func lookup(doc any, ptr string) any {
	cur := doc
	for _, tok := range strings.Split(ptr, "/")[1:] {
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		switch c := cur.(type) {
		case map[string]any:
			cur = c[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil
			}
			cur = c[i]
		default:
			return nil
		}
	}
	return cur
}

func pointer(loc []string) string {
	var b strings.Builder
	for _, t := range loc {
		b.WriteByte('/')
		b.WriteString(escape(t))
	}
	return b.String()
}

func escape(s string) string { return strings.NewReplacer("~", "~0", "/", "~1").Replace(s) }

func article(want []string) string {
	var parts []string
	for _, w := range want {
		switch w {
		case "object":
			parts = append(parts, "a mapping")
		case "array":
			parts = append(parts, "a list")
		case "integer":
			parts = append(parts, "a whole number")
		case "null":
			parts = append(parts, "empty")
		default:
			parts = append(parts, "a "+w)
		}
	}
	return strings.Join(parts, " or ")
}

func display(v any) string {
	switch v := v.(type) {
	case string:
		return strconv.Quote(v)
	case nil:
		return "null"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, " or ")
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// shortcut points every property, item and additional-properties schema
// that is only a $ref (with annotations such as a description) straight at
// the schema it refers to. Most fields of our schemas are such a $ref to
// common.schema.json, and the validator spends a second pass through its
// machinery (scope, evaluation state, cycle check) on each: a fifth of
// validating a document. What is checked is the same; the error tree only
// loses the "$ref" level that collect steps through. Members of allOf,
// anyOf and oneOf keep their $ref, since alternatives looks at their kinds.
// It must run before the schema is used: it writes only nodes that no
// validation has reached yet (shared ones were rewritten by the first
// compilation that reached them, and are then only read).
func shortcut(s *jsonschema.Schema, seen map[*jsonschema.Schema]bool) {
	if s == nil || seen[s] {
		return
	}
	seen[s] = true
	direct := func(x *jsonschema.Schema) *jsonschema.Schema {
		for x != nil && x.Ref != nil && refOnly(x) {
			x = x.Ref
		}
		return x
	}
	for name, p := range s.Properties {
		if t := direct(p); t != p {
			s.Properties[name] = t
		}
		shortcut(s.Properties[name], seen)
	}
	if a, ok := s.AdditionalProperties.(*jsonschema.Schema); ok {
		if t := direct(a); t != a {
			s.AdditionalProperties = t
		}
		shortcut(a, seen)
	}
	if t := direct(s.Items2020); t != s.Items2020 {
		s.Items2020 = t
	}
	shortcut(s.Items2020, seen)
	if it, ok := s.Items.(*jsonschema.Schema); ok {
		if t := direct(it); t != it {
			s.Items = t
		}
		shortcut(it, seen)
	}
	for i, p := range s.PrefixItems {
		if t := direct(p); t != p {
			s.PrefixItems[i] = t
		}
		shortcut(s.PrefixItems[i], seen)
	}
	for _, l := range [][]*jsonschema.Schema{s.AllOf, s.AnyOf, s.OneOf} {
		for _, x := range l {
			shortcut(x, seen)
		}
	}
	for _, x := range []*jsonschema.Schema{s.Ref, s.Not, s.If, s.Then, s.Else, s.Contains, s.PropertyNames} {
		shortcut(x, seen)
	}
	for _, x := range s.DependentSchemas {
		shortcut(x, seen)
	}
	for _, x := range s.PatternProperties {
		shortcut(x, seen)
	}
}

// annotations are the fields of a compiled schema that do not validate.
var annotations = map[string]bool{
	"DraftVersion": true, "Location": true, "Ref": true, "Title": true, "Description": true,
	"Default": true, "Comment": true, "ReadOnly": true, "WriteOnly": true, "Examples": true, "Deprecated": true,
}

// refOnly reports whether s validates nothing but its $ref: every exported
// field but the annotations is zero. A field a later version of the library
// adds counts as validating until listed above.
func refOnly(s *jsonschema.Schema) bool {
	v := reflect.ValueOf(s).Elem()
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if f.IsExported() && !annotations[f.Name] && !v.Field(i).IsZero() {
			return false
		}
	}
	return true
}
