package draft

import (
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/aims-dev/aims/examples"
	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/load"
	"github.com/aims-dev/aims/pkg/schema"
	"github.com/aims-dev/aims/pkg/workspace"
)

var today = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

func northwind(t *testing.T) *workspace.Workspace {
	t.Helper()
	fsys, err := fs.Sub(examples.Northwind, "northwind")
	if err != nil {
		t.Fatal(err)
	}
	ws, err := workspace.Open(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

// Every kind has a template, and its draft passes the kind's schema with
// the modeline and at least one TODO, and its references resolve in the AIMS
// it is drafted for.
func TestEveryKindDraftsAValidDocument(t *testing.T) {
	v, err := schema.New()
	if err != nil {
		t.Fatal(err)
	}
	ws := northwind(t)
	for _, k := range Kinds {
		t.Run(k.Name, func(t *testing.T) {
			f, err := New(ws.Model, Options{Kind: k, Today: today, Tiers: []string{"high", "low", "medium"}})
			if err != nil {
				t.Fatal(err)
			}
			text := string(f.Data)
			if !strings.Contains(text, "# yaml-language-server: $schema=") || !strings.Contains(text, "/"+strings.ToLower(k.Name)+".schema.json") {
				t.Errorf("no schema modeline:\n%s", text)
			}
			if !strings.Contains(text, "TODO") {
				t.Errorf("no TODO:\n%s", text)
			}
			docs, diags := load.ParseBytes(f.Path, f.Data)
			if len(diags) > 0 || len(docs) != 1 {
				t.Fatalf("%d documents, %v", len(docs), diags)
			}
			if docs[0].Kind != k.Name {
				t.Errorf("kind %q, want %q", docs[0].Kind, k.Name)
			}
			got, err := v.Validate(docs[0])
			if err != nil {
				t.Fatal(err)
			}
			if got.Max() >= diag.Warning {
				t.Errorf("draft does not validate:\n%v\n%s", got, text)
			}
			for _, ref := range []string{"owner", "system"} {
				if id := docs[0].String(ref); id != "" {
					if _, ok := ws.Model.ByID[id]; !ok {
						t.Errorf("%s %q is not in the AIMS", ref, id)
					}
				}
			}
		})
	}
}

func TestPlacementFollowsTheAIMS(t *testing.T) {
	ws := northwind(t)
	tests := []struct {
		kind, id, title string
		wantPath        string
	}{
		{"risk", "", "Chatbot gives wrong loan terms", "risk/chatbot-gives-wrong-loan-terms.yaml"},
		{"Evidence", "ev-x", "", "records/evidence/ev-x.yaml"},
		{"impact-assessment", "", "", "impact/impactassessment-new.yaml"},
		{"policy", "", "Retirement", "policies/retirement.md"},
		{"scope", "", "", "scope-new.yaml"},
		{"person", "", "Ana Souza", "organization/ana-souza.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			k, err := Lookup(tt.kind)
			if err != nil {
				t.Fatal(err)
			}
			f, err := New(ws.Model, Options{Kind: k, ID: tt.id, Title: tt.title, Today: today})
			if err != nil {
				t.Fatal(err)
			}
			if f.Path != tt.wantPath {
				t.Errorf("path %q, want %q", f.Path, tt.wantPath)
			}
		})
	}
}

// A generated id skips ids and files already taken; a given id in use is refused.
func TestIDsNeverCollide(t *testing.T) {
	ws := northwind(t)
	k, _ := Lookup("risk")
	taken := map[string]bool{"risk/risk-new.yaml": true, "risk/risk-new-2.yaml": true}
	f, err := New(ws.Model, Options{Kind: k, Today: today, Exists: func(p string) bool { return taken[p] }})
	if err != nil {
		t.Fatal(err)
	}
	if f.ID != "risk-new-3" {
		t.Errorf("id %q, want risk-new-3", f.ID)
	}
	existing := ws.Model.Risks[0].ID
	if _, err := New(ws.Model, Options{Kind: k, ID: existing, Today: today}); err == nil || !strings.Contains(err.Error(), "already used") {
		t.Errorf("reusing %s: err = %v", existing, err)
	}
}

func TestLookup(t *testing.T) {
	for _, name := range []string{"risk", "Risk", "RISK", "impact-assessment", "impact_assessment", "ImpactAssessment", "aisystem", "ai-system"} {
		if _, err := Lookup(name); err != nil {
			t.Errorf("Lookup(%q): %v", name, err)
		}
	}
	_, err := Lookup("polcy")
	if err == nil || !strings.Contains(err.Error(), "did you mean policy?") {
		t.Errorf("Lookup(polcy) = %v", err)
	}
}

// Every schema with a kind has a template, so a new kind cannot be added
// without `aims new` learning it.
func TestKindsCoverTheSchemas(t *testing.T) {
	v, err := schema.New()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, k := range Kinds {
		names = append(names, k.Name)
	}
	if diff := cmp.Diff(v.Kinds(), names); diff != "" {
		t.Errorf("kinds differ from the schemas (-schemas +draft):\n%s", diff)
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Chatbot gives wrong loan terms": "chatbot-gives-wrong-loan-terms",
		"  Ação: GDPR Art. 22!":          "a-o-gdpr-art-22",
		"":                               "",
		"---":                            "",
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}
