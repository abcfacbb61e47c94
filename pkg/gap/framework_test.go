package gap

import (
	stdcmp "cmp"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/catalog"
	"github.com/aims-dev/aims/pkg/crosswalk"
)

// allMet is a gap analysis in which every ISO/IEC 42001 requirement is met
// and supported by evidence e-<id>, but for the statuses given.
func allMet(statuses map[string]Status) *Result {
	res := &Result{AsOf: "2026-12-01"}
	for _, e := range catalog.ISO42001().Requirements() {
		st := stdcmp.Or(statuses[e.ID], Met)
		res.Requirements = append(res.Requirements, Requirement{ID: e.ID, Title: e.Title, Status: st,
			Evidence: []Support{{Kind: "Evidence", ID: "e-" + e.ID, Valid: true}}, Reasons: []string{"because " + e.ID}})
	}
	return res
}

func nistItem(t *testing.T, v *FrameworkView, id string) FrameworkItem {
	t.Helper()
	i := slices.IndexFunc(v.Items, func(it FrameworkItem) bool { return it.ID == "nist-ai-rmf:"+id })
	if i < 0 {
		t.Fatalf("no item %s", id)
	}
	return v.Items[i]
}

// A derived item is met only when every applicable ISO/IEC 42001
// requirement mapped to it is met, and says which are not. GOVERN 1.3 maps
// to 6.1.1, 6.1.2 and 6.1.3 in the NIST crosswalk.
func TestDeriveNIST(t *testing.T) {
	for _, tt := range []struct {
		name     string
		statuses map[string]Status
		want     Status
		notMet   []string
	}{
		{"all met", nil, Met, []string{}},
		{"one partial", map[string]Status{"6.1.2": Partial}, Partial, []string{"iso42001:6.1.2"}},
		{"one missing, others met", map[string]Status{"6.1.3": Missing}, Partial, []string{"iso42001:6.1.3"}},
		{"all missing", map[string]Status{"6.1.1": Missing, "6.1.2": Missing, "6.1.3": Missing}, Missing,
			[]string{"iso42001:6.1.2", "iso42001:6.1.1", "iso42001:6.1.3"}},
		{"an excluded one does not count", map[string]Status{"6.1.1": Excluded}, Met, []string{}},
		{"all excluded", map[string]Status{"6.1.1": Excluded, "6.1.2": Excluded, "6.1.3": Excluded}, Excluded, []string{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v, err := Derive(allMet(tt.statuses), &aims.Model{}, "nist-ai-rmf")
			if err != nil {
				t.Fatal(err)
			}
			if len(v.Items) != 72 || v.Summary.Total != 72 {
				t.Errorf("%d items, summary total %d, want 72", len(v.Items), v.Summary.Total)
			}
			it := nistItem(t, v, "GOVERN 1.3")
			if it.Status != tt.want || !it.Derived {
				t.Errorf("status %s (derived %v), want %s", it.Status, it.Derived, tt.want)
			}
			if diff := cmp.Diff(tt.notMet, it.NotMet); diff != "" {
				t.Errorf("not met (-want +got):\n%s", diff)
			}
			for _, r := range it.Requirements {
				if r.Type != "intersects" || r.Source != "nist-crosswalk" || r.Title == "" {
					t.Errorf("%s: type %q source %q title %q", r.ID, r.Type, r.Source, r.Title)
				}
				if notMet := slices.Contains(it.NotMet, r.ID); notMet != (len(r.Reasons) > 0) {
					t.Errorf("%s: reasons %q, but not met is %v", r.ID, r.Reasons, notMet)
				}
				if r.Status != Met && r.Status != Excluded && len(r.Reasons) == 0 {
					t.Errorf("%s is %s without the analysis's reasons", r.ID, r.Status)
				}
			}
		})
	}
	v, _ := Derive(allMet(nil), &aims.Model{}, "nist-ai-rmf")
	if len(v.Sources) != 1 || v.Sources[0].ID != "nist-crosswalk" || !v.Sources[0].Published {
		t.Errorf("sources %+v, want the published NIST crosswalk only", v.Sources)
	}
	if !strings.Contains(v.Basis, "derived") || v.DerivedFrom != "iso42001" {
		t.Errorf("basis %q, derived from %q", v.Basis, v.DerivedFrom)
	}
}

func system(t *testing.T, js string) *aims.AISystem {
	t.Helper()
	var s aims.AISystem
	if err := json.Unmarshal([]byte(js), &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

// The EU AI Act view is per AI system: the articles its class and role
// bring, each with the evidence that concerns it (not evidence about other
// systems only), and a failed tier check keeps an article from being met.
func TestDeriveEUAIActPerSystem(t *testing.T) {
	m := &aims.Model{
		Systems: []*aims.AISystem{
			system(t, `{"id":"scoring","title":"Scoring","stage":"deployed","eu_ai_act":{"class":"high"},"role":"provider"}`),
			system(t, `{"id":"chat","stage":"deployed","eu_ai_act":{"class":"limited"},"role":"deployer"}`),
			system(t, `{"id":"old","stage":"retired","eu_ai_act":{"class":"high"},"role":"provider"}`),
		},
		Evidence: []*aims.Evidence{{Meta: aims.Meta{ID: "e-A.6.2.8"}, Systems: []string{"chat"}}, {Meta: aims.Meta{ID: "e-8.2"}, Systems: []string{"scoring"}}},
	}
	res := allMet(nil)
	res.Systems = []System{{ID: "scoring", Checks: []Check{{Name: "human_oversight", Met: false, Detail: "mode is none"}, {Name: "event_logging", Met: true}}}}
	v, err := Derive(res, m, "eu-ai-act")
	if err != nil {
		t.Fatal(err)
	}
	if v.Items != nil || len(v.Systems) != 3 {
		t.Fatalf("items %d, systems %d: want the view per system only", len(v.Items), len(v.Systems))
	}
	got := map[string][]string{}
	for _, s := range v.Systems {
		for _, it := range s.Items {
			got[s.ID] = append(got[s.ID], it.ID+" "+string(it.Status))
		}
	}
	want := map[string][]string{
		"scoring": {"eu-ai-act:Art. 4 met", "eu-ai-act:Art. 9 met", "eu-ai-act:Art. 10 met", "eu-ai-act:Art. 11 met", "eu-ai-act:Art. 12 met",
			"eu-ai-act:Art. 13 met", "eu-ai-act:Art. 14 partial", "eu-ai-act:Art. 15 met", "eu-ai-act:Art. 17 met", "eu-ai-act:Art. 72 met", "eu-ai-act:Art. 73 met"},
		"chat": {"eu-ai-act:Art. 4 met", "eu-ai-act:Art. 50 met"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("articles per system (-want +got):\n%s", diff)
	}
	if v.Systems[2].Note == "" || !strings.Contains(v.Systems[2].Note, "retired") {
		t.Errorf("retired system note %q", v.Systems[2].Note)
	}
	// Art. 12 maps to 7.5.3 and A.6.2.8; A.6.2.8's evidence names only the
	// chatbot, so the scoring system's Art. 12 shows 7.5.3's alone.
	art12 := v.Systems[0].Items[4]
	var ev []string
	for _, r := range art12.Requirements {
		for _, s := range r.Evidence {
			ev = append(ev, s.ID)
		}
	}
	if diff := cmp.Diff([]string{"e-7.5.3"}, ev); diff != "" {
		t.Errorf("scoring Art. 12 evidence (-want +got):\n%s", diff)
	}
	// An article's own evidence list holds each piece once, what names the
	// system first: Art. 9's 8.2 evidence before 6.1.1's.
	art9 := v.Systems[0].Items[1]
	if len(art9.Evidence) != len(art9.Requirements) || art9.Evidence[0].ID != "e-8.2" {
		t.Errorf("Art. 9 evidence %v, want one per requirement, e-8.2 first", art9.Evidence)
	}
	if c := art12.Checks; len(c) != 1 || c[0].Name != "event_logging" {
		t.Errorf("Art. 12 system checks %+v, want event_logging", c)
	}
}

func TestDeriveRefuses(t *testing.T) {
	for _, fw := range []string{"iso42001", "nist-csf"} {
		if _, err := Derive(allMet(nil), &aims.Model{}, fw); err == nil {
			t.Errorf("Derive(%s) gave a view", fw)
		}
	}
}

// The tier checks the EU AI Act articles depend on are tier requirements
// aims checks, so none of them silently matches nothing.
func TestArticleChecksAreTierRequirements(t *testing.T) {
	for _, name := range crosswalk.AllSystemChecks() {
		if _, ok := tierRequirement(name); !ok {
			t.Errorf("article check %q is not a tier requirement", name)
		}
	}
}
