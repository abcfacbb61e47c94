package modelcard

import (
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/workspace"
	"github.com/aims-dev/aims/templates"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var cards = []string{"loan-default-classifier.md", "ticket-router-trainer.md"}

// scaffold is the AIMS `aims init` writes, as a map file system.
func scaffold(t *testing.T) fstest.MapFS {
	t.Helper()
	src, err := fs.Sub(templates.Init, "init")
	if err != nil {
		t.Fatal(err)
	}
	out := fstest.MapFS{}
	err = fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(src, p)
		out[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func importCard(t *testing.T, fsys fs.FS, name string) *Result {
	t.Helper()
	ws, err := workspace.Open(fsys)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	c, err := Parse("models/"+name, b)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Import(c, Options{
		Model: ws.Model, Card: "models/" + name, Today: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
		Tiers: slices.Sorted(maps.Keys(ws.Tiers)),
	})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// The drafts of each card, byte for byte: review changes with -update.
func TestImportGolden(t *testing.T) {
	for _, name := range cards {
		t.Run(name, func(t *testing.T) {
			res := importCard(t, scaffold(t), name)
			dir := filepath.Join("testdata", "golden", strings.TrimSuffix(name, ".md"))
			var got []string
			for _, f := range res.Files {
				got = append(got, f.Path)
				golden := filepath.Join(dir, filepath.FromSlash(f.Path))
				if *update {
					if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(golden, f.Data, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test -update)", err)
				}
				if diff := cmp.Diff(string(want), string(f.Data)); diff != "" {
					t.Errorf("%s differs (-golden +got):\n%s", f.Path, diff)
				}
			}
			var want []string
			filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					rel, _ := filepath.Rel(dir, p)
					want = append(want, filepath.ToSlash(rel))
				}
				return nil
			})
			slices.Sort(want)
			slices.Sort(got)
			if diff := cmp.Diff(want, got); diff != "" && !*update {
				t.Errorf("files differ from the golden folder (-golden +got):\n%s", diff)
			}
		})
	}
}

// No field of a card is lost: every front matter value and every line of
// every section with information is in the drafts, mapped or kept under
// unmapped; sections that only say "More information needed" are named.
func TestNoFieldOfTheCardIsLost(t *testing.T) {
	for _, name := range cards {
		t.Run(name, func(t *testing.T) {
			res := importCard(t, scaffold(t), name)
			var out []string // every scalar written, slugged
			for _, f := range res.Files {
				var values []any
				if strings.HasSuffix(f.Path, ".json") {
					var v any
					if err := json.Unmarshal(f.Data, &v); err != nil {
						t.Fatal(err)
					}
					values = append(values, v)
				} else {
					dec := yaml.NewDecoder(strings.NewReader(string(f.Data)))
					for {
						var v any
						if err := dec.Decode(&v); err != nil {
							break
						}
						values = append(values, v)
					}
				}
				for _, v := range values {
					leaves(v, func(s string) { out = append(out, s) })
				}
			}
			written := func(s string) bool {
				if f, err := strconv.ParseFloat(s, 64); err == nil {
					return slices.ContainsFunc(out, func(o string) bool { g, err := strconv.ParseFloat(o, 64); return err == nil && g == f })
				}
				// Compared as words, so "ROC AUC" is found as roc_auc and
				// "en" only as a whole word, never inside "tokens".
				want := " " + norm(s) + " "
				return want == "  " || slices.ContainsFunc(out, func(o string) bool {
					return strings.Contains(" "+norm(o)+" ", want)
				})
			}

			b, _ := os.ReadFile(filepath.Join("testdata", name))
			c, err := Parse(name, b)
			if err != nil {
				t.Fatal(err)
			}
			var front []string
			var walk func(n *yaml.Node)
			walk = func(n *yaml.Node) {
				switch n.Kind {
				case yaml.ScalarNode:
					front = append(front, n.Value)
				case yaml.MappingNode:
					for i := 1; i < len(n.Content); i += 2 {
						walk(n.Content[i])
					}
				default:
					for _, c := range n.Content {
						walk(c)
					}
				}
			}
			walk(c.Front)
			if len(front) < 10 {
				t.Fatalf("only %d front matter values: the card is not a real test", len(front))
			}
			for _, v := range front {
				if !written(v) {
					t.Errorf("front matter value %q is in no draft", v)
				}
			}
			for _, s := range c.Sections {
				if placeholder(s.Text) {
					if s.Text != "" && !slices.ContainsFunc(res.Empty, func(e string) bool { return strings.Contains(e, fmt.Sprintf("%q", s.Heading)) }) {
						t.Errorf("empty section %q not reported", s.Heading)
					}
					continue
				}
				for _, line := range strings.Split(s.Text, "\n") {
					line = strings.TrimLeft(strings.TrimSpace(line), "-*+ ")
					if line != "" && !written(line) {
						t.Errorf("section %q: line %q is in no draft", s.Heading, line)
					}
				}
			}
		})
	}
}

var nonAlnum = regexp.MustCompile(`[^\p{L}\p{N}]+`)

func norm(s string) string {
	return strings.TrimSpace(nonAlnum.ReplaceAllString(strings.ToLower(s), " "))
}

func leaves(v any, f func(string)) {
	switch v := v.(type) {
	case map[string]any:
		for _, x := range v {
			leaves(x, f)
		}
	case []any:
		for _, x := range v {
			leaves(x, f)
		}
	case nil:
	default:
		f(fmt.Sprint(v))
	}
}

var todo = regexp.MustCompile(`TODO[^'"\n]*`)

// Once a person fills the TODOs, the imported documents pass validation
// and their results are read: bias results for the gap rules, performance
// results for the ML-BOM.
func TestImportedDocumentsValidateOnceFilled(t *testing.T) {
	for _, name := range cards {
		t.Run(name, func(t *testing.T) {
			fsys := scaffold(t)
			res := importCard(t, fsys, name)
			results := 0
			for _, f := range res.Files {
				fsys[f.Path] = &fstest.MapFile{Data: []byte(todo.ReplaceAllString(string(f.Data), "filled in by the owner"))}
				if path.Ext(f.Path) == ".json" {
					results++
				}
			}
			ws, err := workspace.Open(fsys)
			if err != nil {
				t.Fatal(err)
			}
			if n := ws.Diags.Count(diag.Error) + ws.Diags.Count(diag.Warning); n > 0 {
				t.Errorf("%d problems:\n%v", n, ws.Diags)
			}
			if len(ws.Model.Results) != results || results == 0 {
				t.Errorf("%d results read, want the %d imported", len(ws.Model.Results), results)
			}
			if ws.Model.ByID[res.SystemID] == nil {
				t.Errorf("system %s not in the AIMS", res.SystemID)
			}
		})
	}
}

// The loan card's results split into performance and bias by metric.
func TestResultsSplitByKind(t *testing.T) {
	res := importCard(t, scaffold(t), "loan-default-classifier.md")
	kinds := map[string][]string{}
	for _, f := range res.Files {
		if path.Ext(f.Path) != ".json" {
			continue
		}
		var r struct {
			Type    string
			Results []struct{ Metric string }
		}
		if err := json.Unmarshal(f.Data, &r); err != nil {
			t.Fatal(err)
		}
		for _, m := range r.Results {
			kinds[r.Type] = append(kinds[r.Type], m.Metric)
		}
	}
	want := map[string][]string{
		"performance": {"roc_auc", "accuracy", "brier_score"},
		"bias":        {"demographic_parity_difference", "equalized_odds_difference"},
	}
	if diff := cmp.Diff(want, kinds); diff != "" {
		t.Errorf("results by kind (-want +got):\n%s", diff)
	}
}

func TestParseErrorsNameTheLine(t *testing.T) {
	tests := []struct{ name, card, want string }{
		{"unclosed", "---\nlicense: mit\n# Title\n", "card.md:1:1: front matter is not closed"},
		{"bad yaml", "---\nlicense: mit\ndatasets: : :\n---\n# T\n", "card.md:3:1: front matter: mapping values are not allowed"},
		{"not a mapping", "---\n- a\n- b\n---\n", "card.md:2:1: front matter must be a mapping"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("card.md", []byte(tt.card))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("err = %v, want prefix %q", err, tt.want)
			}
		})
	}
}

func TestParseSections(t *testing.T) {
	card := "# Model\n\nIntro.\n\n## Uses\n\n### Direct Use\n\n- a\n- b\n\n```python\n# not a heading\n```\n\n## Limits\nNone.\n"
	c, err := Parse("c.md", []byte(card))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range c.Sections {
		got = append(got, fmt.Sprintf("%d %s: %s", s.Line, s.Heading, s.Text))
	}
	want := []string{"1 : Intro.", "5 Uses: ", "7 Direct Use: - a\n- b\n\n```python\n# not a heading\n```", "16 Limits: None."}
	if c.Title != "Model" {
		t.Errorf("title %q", c.Title)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sections (-want +got):\n%s", diff)
	}
}

func TestItems(t *testing.T) {
	got := Items("- one\n  continued\n- two\n\nA paragraph\nover two lines.")
	want := []string{"one continued", "two", "A paragraph over two lines."}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// Front matter shapes the Hub allows: what fits a field is mapped, the
// rest is kept under unmapped and listed, never dropped.
func TestFrontMatterShapes(t *testing.T) {
	tests := []struct {
		name, front  string
		wantUnmapped []string
		wantInSystem []string
	}{
		{"one base model as a list", "base_model: [org/base]\n", nil, []string{"  base_model: org/base\n"}},
		{"two base models", "base_model: [org/a, org/b]\n", []string{"base_model"}, []string{"    base_model: [org/a, org/b]\n"}},
		{"language as a string", "language: fr\n", nil, []string{"tags: ['language:fr']\n"}},
		{"custom licence", "license: other\nlicense_name: acme-model-licence\n", []string{"license_name"}, []string{"  license: other\n", "    license_name: acme-model-licence\n"}},
		{"metric value that is not a number", "model-index:\n- name: m\n  results:\n  - task: {type: fill-mask}\n    dataset: {name: d}\n    metrics:\n    - {type: perplexity, value: n/a}\n",
			[]string{"model-index[0].results"}, []string{"    model-index[0].results:\n      - task: {type: fill-mask}\n        dataset: {name: d}\n        metrics:\n          - {type: perplexity, value: n/a}\n"}},
		{"nothing mapped", "widget: [{text: hi}]\n", []string{"widget"}, []string{"    widget: [{text: hi}]\n"}},
		{"no front matter", "", nil, []string{"title: m\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			card := "# m\n\nA model.\n"
			if tt.front != "" {
				card = "---\n" + tt.front + "---\n" + card
			}
			c, err := Parse("card.md", []byte(card))
			if err != nil {
				t.Fatal(err)
			}
			res, err := Import(c, Options{Today: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.wantUnmapped, res.Unmapped); diff != "" {
				t.Errorf("unmapped (-want +got):\n%s", diff)
			}
			sys := string(res.Files[0].Data)
			for _, want := range tt.wantInSystem {
				if !strings.Contains(sys, want) {
					t.Errorf("system lacks %q:\n%s", want, sys)
				}
			}
		})
	}
}
