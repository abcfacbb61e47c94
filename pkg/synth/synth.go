package synth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/aims-dev/aims/examples"
)

// Files is a generated AIMS: slash path -> content.
type Files map[string][]byte

// Paths returns the file paths, sorted.
func (f Files) Paths() []string { return slices.Sorted(maps.Keys(f)) }

// Documents counts the YAML documents (not evidence files) in f.
func (f Files) Documents() int {
	n := 0
	for p, b := range f {
		if strings.HasPrefix(p, "evidence/") {
			continue
		}
		switch path.Ext(p) {
		case ".yaml", ".yml":
			n += bytes.Count(b, []byte("\napiVersion:")) + boolInt(bytes.HasPrefix(b, []byte("apiVersion:")))
		case ".md":
			n += boolInt(bytes.HasPrefix(b, []byte("---"))) // a policy: one document in its front matter
		}
	}
	return n
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// cloned are the kinds copied with each AI system: what a team adds to the
// AIMS when it brings one more system in. Everything else (people, roles,
// policies, the SoA, audits) is organisation-wide and shared.
var cloned = map[string]bool{
	"AISystem": true, "Dataset": true, "Risk": true, "ImpactAssessment": true,
	"Evidence": true, "Nonconformity": true, "Competence": true,
}

// doc is one YAML document of the example with the ids it mentions.
type doc struct {
	kind, id string
	node     *yaml.Node // the document node
	refs     map[string]bool
}

// group is the documents that belong to one example system.
type group struct {
	system string
	docs   []*doc
	ids    map[string]bool
}

// Generate returns the Northwind example plus n generated AI systems, each
// a copy of one of Northwind's systems with its document group (datasets,
// risks, impact assessment, evidence with its files and CI results,
// nonconformities, competence), every id suffixed so it is unique. Each
// generated document is a file of its own. The scope lists the generated
// systems, so the AIMS checks clean as the example does.
func Generate(n int) (Files, error) {
	base := Files{}
	var docs []*doc
	err := fs.WalkDir(examples.Northwind, "northwind", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(examples.Northwind, p)
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(p, "northwind/")
		base[rel] = b
		if path.Ext(rel) != ".yaml" || strings.HasPrefix(rel, "evidence/") {
			return nil
		}
		ds, err := parseDocs(b)
		if err != nil {
			return fmt.Errorf("%s: %w", rel, err)
		}
		docs = append(docs, ds...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	groups := groupsOf(docs)
	if n == 0 {
		return base, nil
	}
	var systems []string
	for i := range n {
		g := groups[i%len(groups)]
		suffix := fmt.Sprintf("-g%05d", i+1)
		dir := fmt.Sprintf("generated/%s%s", g.system, suffix)
		for _, d := range g.docs {
			c := clone(d.node)
			rename(c, g.ids, suffix, func(p string) string { return movedEvidence(p, dir) }, base)
			b, err := encode(c)
			if err != nil {
				return nil, err
			}
			base[fmt.Sprintf("%s/%s%s.yaml", dir, d.id, suffix)] = b
		}
		systems = append(systems, g.system+suffix)
	}
	// Evidence files the clones point at: copied with the ids in CI results renamed.
	for i := range n {
		g := groups[i%len(groups)]
		suffix := fmt.Sprintf("-g%05d", i+1)
		dir := fmt.Sprintf("generated/%s%s", g.system, suffix)
		for _, d := range g.docs {
			for _, p := range evidencePaths(d.node) {
				src, ok := base[p]
				if !ok {
					continue
				}
				dst := movedEvidence(p, dir)
				if path.Ext(p) == ".json" {
					b, err := renameJSON(src, g.ids, suffix)
					if err != nil {
						return nil, fmt.Errorf("%s: %w", p, err)
					}
					src = b
				}
				base[dst] = src
			}
		}
	}
	scope, err := includeSystems(base["scope.yaml"], systems)
	if err != nil {
		return nil, fmt.Errorf("scope.yaml: %w", err)
	}
	base["scope.yaml"] = scope
	return base, nil
}

func parseDocs(b []byte) ([]*doc, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var out []*doc
	for {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return nil, err
		}
		d := &doc{node: &n, refs: map[string]bool{}}
		m := n.Content[0]
		for i := 0; i+1 < len(m.Content); i += 2 {
			switch m.Content[i].Value {
			case "kind":
				d.kind = m.Content[i+1].Value
			case "id":
				d.id = m.Content[i+1].Value
			}
		}
		scalars(m, func(s *yaml.Node) { d.refs[s.Value] = true })
		out = append(out, d)
	}
}

// groupsOf finds each system's documents: the system, the datasets it
// names, and every document of a cloned kind that mentions one of them,
// repeated until nothing more joins (evidence about a risk of the system).
func groupsOf(docs []*doc) []*group {
	var out []*group
	for _, s := range docs {
		if s.kind != "AISystem" {
			continue
		}
		g := &group{system: s.id, ids: map[string]bool{s.id: true}}
		in := map[*doc]bool{s: true}
		g.docs = append(g.docs, s)
		for _, d := range docs {
			if d.kind == "Dataset" && s.refs[d.id] {
				g.ids[d.id], in[d] = true, true
				g.docs = append(g.docs, d)
			}
		}
		for grew := true; grew; {
			grew = false
			for _, d := range docs {
				if in[d] || !cloned[d.kind] || d.kind == "AISystem" {
					continue
				}
				for id := range g.ids {
					if d.refs[id] {
						in[d], grew = true, true
						g.ids[d.id] = true
						g.docs = append(g.docs, d)
						break
					}
				}
			}
		}
		out = append(out, g)
	}
	return out
}

func scalars(n *yaml.Node, f func(*yaml.Node)) {
	if n.Kind == yaml.ScalarNode {
		f(n)
	}
	for _, c := range n.Content {
		scalars(c, f)
	}
}

func clone(n *yaml.Node) *yaml.Node {
	c := *n
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, k := range n.Content {
		c.Content[i] = clone(k)
	}
	return &c
}

// rename suffixes every scalar that is an id of the group and moves evidence
// paths that exist in base.
func rename(n *yaml.Node, ids map[string]bool, suffix string, move func(string) string, base Files) {
	scalars(n, func(s *yaml.Node) {
		switch {
		case ids[s.Value]:
			s.Value += suffix
		case strings.HasPrefix(s.Value, "evidence/") && base[s.Value] != nil:
			s.Value = move(s.Value)
		}
	})
	n.HeadComment = ""
}

func evidencePaths(n *yaml.Node) []string {
	var out []string
	scalars(n, func(s *yaml.Node) {
		if strings.HasPrefix(s.Value, "evidence/") {
			out = append(out, s.Value)
		}
	})
	return out
}

func movedEvidence(p, dir string) string {
	return "evidence/" + dir + "/" + strings.TrimPrefix(p, "evidence/")
}

func encode(n *yaml.Node) ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func renameJSON(b []byte, ids map[string]bool, suffix string) ([]byte, error) {
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, err
	}
	for k, x := range v {
		if s, ok := x.(string); ok && ids[s] {
			v[k] = s + suffix
		}
	}
	return json.MarshalIndent(v, "", "  ")
}

// includeSystems adds the generated systems to the scope's included list.
func includeSystems(scope []byte, systems []string) ([]byte, error) {
	var n yaml.Node
	if err := yaml.Unmarshal(scope, &n); err != nil {
		return nil, err
	}
	m := n.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value != "systems" {
			continue
		}
		s := m.Content[i+1]
		for j := 0; j+1 < len(s.Content); j += 2 {
			if s.Content[j].Value == "included" {
				inc := s.Content[j+1]
				inc.Style = 0
				for _, id := range systems {
					inc.Content = append(inc.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: id})
				}
				return encode(&n)
			}
		}
	}
	return nil, fmt.Errorf("no systems.included list")
}
