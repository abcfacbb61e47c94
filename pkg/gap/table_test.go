package gap

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aims-dev/aims/schemas"
)

// Every field the date and narrative tables name exists in its kind's
// schema, so a typo cannot silently switch a check off; date fields are
// dates, narrative fields are strings.
func TestFieldTablesMatchSchemas(t *testing.T) {
	kinds := []string{"Scope", "Policy", "Role", "Person", "Objective", "RiskCriteria", "Risk", "Applicability", "AISystem",
		"Dataset", "ImpactAssessment", "Supplier", "Competence", "Communication", "Change", "Evidence", "Audit", "ManagementReview", "Nonconformity"}
	for _, pd := range pastDates {
		for _, k := range kinds {
			if pd.Kind != "" && pd.Kind != k {
				continue
			}
			if props, _ := readSchema(t, strings.ToLower(k)+".schema.json")["properties"].(map[string]any); pd.Kind == "" && props[pd.Path] == nil {
				continue // a document-control field this kind does not have
			}
			leaf := schemaField(t, k, pd.Path)
			if ref, _ := leaf["$ref"].(string); ref != "common.schema.json#/$defs/date" {
				t.Errorf("%s %s: want a date field, got %v", k, pd.Path, leaf)
			}
		}
	}
	for _, n := range narratives {
		leaf := schemaField(t, n.Kind, n.Path)
		if leaf["type"] != "string" {
			t.Errorf("%s %s: want a string field, got %v", n.Kind, n.Path, leaf)
		}
		if n.RefKey != "" && schemaField(t, n.Kind, n.Path[:strings.LastIndexByte(n.Path, '/')+1]+n.RefKey) == nil {
			t.Errorf("%s %s: no %s beside it", n.Kind, n.Path, n.RefKey)
		}
	}
}

// schemaField follows path (keys, * for list items) through the schema of
// kind, resolving references, and returns the schema of the field.
func schemaField(t *testing.T, kind, path string) map[string]any {
	t.Helper()
	s := readSchema(t, strings.ToLower(kind)+".schema.json")
	for _, p := range strings.Split(path, "/") {
		s = resolve(t, s)
		var next map[string]any
		if p == "*" {
			next, _ = s["items"].(map[string]any)
		} else {
			props, _ := s["properties"].(map[string]any)
			next, _ = props[p].(map[string]any)
		}
		if next == nil {
			t.Errorf("%s: no field %s in %s", kind, p, path)
			return nil
		}
		s = next
	}
	if ref, _ := s["$ref"].(string); strings.HasPrefix(ref, "#") {
		return resolve(t, s)
	}
	return s
}

// resolve follows a local or common.schema.json reference to its object
// schema; a leaf reference (a date) is left for the caller to read.
func resolve(t *testing.T, s map[string]any) map[string]any {
	ref, ok := s["$ref"].(string)
	if !ok {
		return s
	}
	file, frag, _ := strings.Cut(ref, "#")
	if file == "" {
		file = "common.schema.json"
	}
	out := readSchema(t, file)
	for _, p := range strings.Split(strings.TrimPrefix(frag, "/"), "/") {
		out, _ = out[p].(map[string]any)
	}
	return out
}

func readSchema(t *testing.T, name string) map[string]any {
	t.Helper()
	b, err := schemas.FS.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSays(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{"n/a", false}, {"N/A", false}, {"  TBD  ", false}, {"-", false}, {"x", false}, {"None.", false},
		{"see above", false}, {"ok", false}, {"", false},
		{"Applications go to manual underwriting.", true}, {"PSI > 0.25", true}, {"Stop scoring", true},
	} {
		if got := says(tt.in); got != tt.want {
			t.Errorf("says(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// settings.evidence_max_age_days_by_type offers exactly the evidence types.
func TestMaxAgeByTypeNamesEvidenceTypes(t *testing.T) {
	types, _ := schemaField(t, "Evidence", "type")["enum"].([]any)
	byType, _ := schemaField(t, "Manifest", "settings/evidence_max_age_days_by_type")["properties"].(map[string]any)
	if len(types) == 0 || len(byType) != len(types) {
		t.Fatalf("%d evidence types, %d entries in evidence_max_age_days_by_type", len(types), len(byType))
	}
	for _, ty := range types {
		if byType[ty.(string)] == nil {
			t.Errorf("evidence_max_age_days_by_type lacks %s", ty)
		}
	}
}
