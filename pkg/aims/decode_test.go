package aims

import (
	"encoding/json"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aims-dev/aims/pkg/load"
)

// roundTrip is how documents were decoded before decodeValue: through
// encoding/json. decodeValue must give the same structs.
func roundTrip(v any, dst any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, dst)
}

// Every document and CI result of both shipped examples decodes to exactly
// what encoding/json made of it.
func TestDecodeMatchesEncodingJSON(t *testing.T) {
	for _, dir := range []string{"../../examples/northwind", "../../examples/first-steps"} {
		fsys := os.DirFS(dir)
		set, err := load.Load(fsys, load.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(set.Docs) < 20 {
			t.Fatalf("%s: only %d documents loaded", dir, len(set.Docs))
		}
		for _, d := range set.Docs {
			want, got := New(d.Kind), New(d.Kind)
			if want == nil {
				t.Fatalf("%s: kind %q has no type", d.Start(), d.Kind)
			}
			if err := roundTrip(d.Value, want); err != nil {
				t.Fatalf("%s: encoding/json: %v", d.Start(), err)
			}
			if err := decodeValue(d.Value, got); err != nil {
				t.Errorf("%s: %v", d.Start(), err)
				continue
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s: decode differs from encoding/json (-want +got):\n%s", d.Start(), diff)
			}
		}
		results, _ := fs.Glob(fsys, "evidence/systems/*/*.json")
		for _, p := range results {
			doc, diags := load.ReadData(fsys, p)
			if doc == nil {
				t.Fatalf("%s: %v", p, diags)
			}
			var want Result
			if err := roundTrip(doc.Value, &want); err != nil {
				t.Fatal(err)
			}
			got, err := DecodeResult(doc)
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			if got.Doc != doc {
				t.Errorf("%s: result lost its document (positions)", p)
			}
			got.Doc = nil
			if diff := cmp.Diff(&want, got); diff != "" {
				t.Errorf("%s: decode differs (-want +got):\n%s", p, diff)
			}
		}
	}
}

func TestDecodeValue(t *testing.T) {
	type inner struct {
		N int `json:"n"`
	}
	type target struct {
		Meta
		Score   float64           `json:"score"`
		Count   int               `json:"count"`
		Opt     *int              `json:"opt,omitempty"`
		Flag    *bool             `json:"flag"`
		List    []inner           `json:"list"`
		ByName  map[string]inner  `json:"by_name"`
		Labels  map[string]string `json:"labels"`
		Skipped string            `json:"-"`
	}
	seven := 7
	yes := true
	tests := []struct {
		name    string
		in      map[string]any
		want    target
		wantErr string
	}{
		{
			name: "every shape",
			in: map[string]any{
				"id": "risk-1", "tags": []any{"a", "b"}, "score": int64(3), "count": float64(4),
				"opt": int64(7), "flag": true, "list": []any{map[string]any{"n": int64(1)}},
				"by_name": map[string]any{"x": map[string]any{"n": int64(2)}}, "labels": map[string]any{"k": "v"},
			},
			want: target{Meta: Meta{ID: "risk-1", Tags: []string{"a", "b"}}, Score: 3, Count: 4, Opt: &seven, Flag: &yes,
				List: []inner{{N: 1}}, ByName: map[string]inner{"x": {N: 2}}, Labels: map[string]string{"k": "v"}},
		},
		{name: "null leaves the zero value", in: map[string]any{"id": nil, "opt": nil, "list": nil}},
		{name: "unknown and skipped keys are ignored", in: map[string]any{"nope": "x", "Skipped": "y", "-": "z"}},
		{name: "keys match case-insensitively as in encoding/json", in: map[string]any{"ID": "x"}, want: target{Meta: Meta{ID: "x"}}},
		{name: "text where a number belongs", in: map[string]any{"count": "four"}, wantErr: "/count: cannot store string in a field of type int"},
		{name: "fraction where a whole number belongs", in: map[string]any{"count": 1.5}, wantErr: "/count: cannot store float64"},
		{name: "position of a nested mismatch", in: map[string]any{"list": []any{map[string]any{"n": "x"}}}, wantErr: "/list/0/n: cannot store string"},
		{name: "position inside a map", in: map[string]any{"by_name": map[string]any{"x": map[string]any{"n": true}}}, wantErr: "/by_name/x/n: cannot store bool in a field of type int"},
		{name: "mismatch at the top", in: map[string]any{"list": "x"}, wantErr: "/list: cannot store string in a field of type []aims.inner"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got target
			err := decodeValue(tt.in, &got)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			// encoding/json agrees, wherever it can take the same input.
			var json target
			if err := roundTrip(tt.in, &json); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(json, got); diff != "" {
				t.Errorf("differs from encoding/json (-json +got):\n%s", diff)
			}
		})
	}
}
