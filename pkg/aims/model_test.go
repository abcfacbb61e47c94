package aims

import (
	"encoding/json"
	"io/fs"
	"strings"
	"testing"

	"github.com/aims-dev/aims/schemas"
)

// Every kind with a schema decodes into a Go type, and every field a schema
// allows exists in the Go type under the same name: a field missing here would
// be silently dropped from analysis and reports.
func TestTypesCoverEverySchemaField(t *testing.T) {
	files, _ := fs.Glob(schemas.FS, "*.schema.json")
	for _, f := range files {
		b, _ := fs.ReadFile(schemas.FS, f)
		var s map[string]any
		if err := json.Unmarshal(b, &s); err != nil {
			t.Fatal(err)
		}
		props, _ := s["properties"].(map[string]any)
		kindProp, _ := props["kind"].(map[string]any)
		kind, _ := kindProp["const"].(string)
		if kind == "" {
			continue
		}
		doc := New(kind)
		if doc == nil {
			t.Errorf("%s: no Go type for kind %s", f, kind)
			continue
		}
		// Fill every top-level field with a null and round-trip through the type.
		in := map[string]any{}
		for name := range props {
			in[name] = nil
		}
		raw, _ := json.Marshal(in)
		if err := json.Unmarshal(raw, doc); err != nil {
			t.Errorf("%s: %v", kind, err)
		}
		typ, _ := json.Marshal(fieldsOf(doc))
		for name := range props {
			if !strings.Contains(string(typ), `"`+name+`"`) {
				t.Errorf("%s: schema field %q has no Go field", kind, name)
			}
		}
	}
}

// fieldsOf lists json names of a struct's fields, embedded ones included.
func fieldsOf(v any) []string {
	var names []string
	collectFields(reflectType(v), &names)
	return names
}
