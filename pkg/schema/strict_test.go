package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/aims-dev/aims/schemas"
)

// Editors and other validators load the exported schemas on their own: each
// needs an $id (relative $refs resolve against it) and must pass a strict
// draft 2020-12 compiler. This is the part of `ajv compile --strict=true`
// that can be checked without Node: only draft 2020-12 keywords, and every
// name in "required" defined in "properties" of the same schema object
// (ajv's strictRequired). The CI tool tests run the real ajv as well.
func TestSchemasAreStrict(t *testing.T) {
	files, err := fs.Glob(schemas.FS, "*.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	docs := map[string]map[string]any{}
	for _, name := range files {
		b, err := fs.ReadFile(schemas.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		docs[name] = doc
		if got, want := doc["$id"], PublishedBase+name; got != want {
			t.Errorf("%s: $id = %v, want %s", name, got, want)
		}
		if got := doc["$schema"]; got != "https://json-schema.org/draft/2020-12/schema" {
			t.Errorf("%s: $schema = %v, want draft 2020-12", name, got)
		}
		for _, p := range strictProblems(doc, "#") {
			t.Errorf("%s: %s", name, p)
		}
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		// Added under the $id only: a $ref that resolves by file name
		// instead of by id fails to compile here.
		if err := c.AddResource(PublishedBase+name, v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	for _, name := range files {
		if _, err := c.Compile(PublishedBase + name); err != nil {
			t.Errorf("%s does not compile by its $id: %v", name, err)
		}
	}
}

// TestStrictCheckFindsProblems keeps the check above honest.
func TestStrictCheckFindsProblems(t *testing.T) {
	doc := map[string]any{
		"type":       "object",
		"properties": map[string]any{"a": map[string]any{"type": "string", "maxLenght": 3.0}},
		"anyOf":      []any{map[string]any{"required": []any{"a"}}},
	}
	got := strictProblems(doc, "#")
	want := []string{
		`#/anyOf/0: required property "a" is not defined in properties (ajv strictRequired)`,
		`#/properties/a: unknown keyword "maxLenght"`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// keywords of JSON Schema draft 2020-12 (core, applicator, unevaluated,
// validation, format, content and meta-data vocabularies).
var keywords = map[string]bool{
	"$schema": true, "$id": true, "$ref": true, "$anchor": true, "$dynamicRef": true, "$dynamicAnchor": true,
	"$vocabulary": true, "$comment": true, "$defs": true,
	"allOf": true, "anyOf": true, "oneOf": true, "not": true, "if": true, "then": true, "else": true,
	"dependentSchemas": true, "prefixItems": true, "items": true, "contains": true, "properties": true,
	"patternProperties": true, "additionalProperties": true, "propertyNames": true,
	"unevaluatedItems": true, "unevaluatedProperties": true,
	"type": true, "enum": true, "const": true, "multipleOf": true, "maximum": true, "exclusiveMaximum": true,
	"minimum": true, "exclusiveMinimum": true, "maxLength": true, "minLength": true, "pattern": true,
	"maxItems": true, "minItems": true, "uniqueItems": true, "maxContains": true, "minContains": true,
	"maxProperties": true, "minProperties": true, "required": true, "dependentRequired": true,
	"format": true, "contentEncoding": true, "contentMediaType": true, "contentSchema": true,
	"title": true, "description": true, "default": true, "deprecated": true, "readOnly": true,
	"writeOnly": true, "examples": true,
}

// strictProblems walks a schema object and its subschemas.
func strictProblems(s any, at string) []string {
	m, ok := s.(map[string]any)
	if !ok {
		return nil // true/false schemas
	}
	var out []string
	props, _ := m["properties"].(map[string]any)
	if req, ok := m["required"].([]any); ok {
		for _, r := range req {
			if _, ok := props[fmt.Sprint(r)]; !ok {
				out = append(out, fmt.Sprintf("%s: required property %q is not defined in properties (ajv strictRequired)", at, r))
			}
		}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := m[k]
		if !keywords[k] {
			out = append(out, fmt.Sprintf("%s: unknown keyword %q", at, k))
			continue
		}
		switch k {
		case "properties", "patternProperties", "$defs", "dependentSchemas":
			sub, _ := v.(map[string]any)
			names := make([]string, 0, len(sub))
			for n := range sub {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				out = append(out, strictProblems(sub[n], at+"/"+k+"/"+n)...)
			}
		case "allOf", "anyOf", "oneOf", "prefixItems":
			list, _ := v.([]any)
			for i, sub := range list {
				out = append(out, strictProblems(sub, fmt.Sprintf("%s/%s/%d", at, k, i))...)
			}
		case "not", "if", "then", "else", "items", "contains", "additionalProperties", "propertyNames",
			"unevaluatedItems", "unevaluatedProperties", "contentSchema":
			out = append(out, strictProblems(v, at+"/"+k)...)
		}
	}
	slices.Sort(out)
	return out
}
