package load

import (
	"bytes"
	"errors"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"gopkg.in/yaml.v3"

	"github.com/aims-dev/aims/pkg/diag"
)

// The yaml.v3 node path the loader used before it built values from the
// parser's events, kept as the reference the event path is held to
// (build_test.go): parsing into node trees, converting nodes into values
// and positions, ReadData and the front matter check.

// parseYAMLNodes is parseYAML through yaml.v3 node trees.
func parseYAMLNodes(p string, data []byte, lineOffset int, b *budget) (r fileResult) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	fileValues := 0
	for i := 0; ; i++ {
		var n yaml.Node
		err := dec.Decode(&n)
		r.values = fileValues
		if errors.Is(err, io.EOF) {
			return r
		}
		if err != nil {
			r.diags = append(r.diags, syntaxDiag(p, data, err, lineOffset))
			return r
		}
		if len(n.Content) == 0 {
			continue // an empty document between "---" lines
		}
		doc, diags := convertDoc(p, i, &n, lineOffset, b, &fileValues)
		r.values = fileValues
		if fileValues > b.lim.FileValues || b.over() {
			// Budget errors end the file: later documents would only
			// spend more of it.
			r.diags = append(r.diags, diags...)
			return r
		}
		r.add(doc, diags)
	}
}

func convertDoc(p string, index int, n *yaml.Node, lineOffset int, b *budget, fileValues *int) (*Document, diag.List) {
	if lineOffset != 0 {
		shift(n, lineOffset, map[*yaml.Node]bool{})
	}
	c := &nodeConverter{&converter{file: p, raw: map[string]string{}, budget: b, nodes: *fileValues}, map[string]span{}}
	v, ok := c.convert(n, "", 0)
	b.run.Add(int64(c.nodes - *fileValues))
	*fileValues = c.nodes
	if !ok {
		return nil, c.diags
	}
	for _, ptr := range slices.Sorted(maps.Keys(c.pos)) {
		sp := c.pos[ptr]
		c.addPos([]byte(ptr), int(sp.keyLine), int(sp.keyCol), int(sp.valLine), int(sp.valCol))
	}
	root := n.Content[0]
	return c.document(p, index, v, diag.Pos{File: p, Line: root.Line, Col: root.Column}, kindName(root))
}

// nodeConverter converts yaml.v3 nodes, collecting positions in a map
// (a node's key and value positions are recorded at different times).
type nodeConverter struct {
	*converter
	pos map[string]span
}

func shift(n *yaml.Node, by int, seen map[*yaml.Node]bool) {
	if seen[n] {
		return
	}
	seen[n] = true
	n.Line += by
	for _, c := range n.Content {
		shift(c, by, seen)
	}
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return "single value"
	}
	return "value"
}

func (c *nodeConverter) at(n *yaml.Node) diag.Pos {
	return diag.Pos{File: c.file, Line: n.Line, Col: n.Column}
}

// convert turns n into a JSON-model value, recording positions under ptr.
func (c *nodeConverter) convert(n *yaml.Node, ptr string, depth int) (any, bool) {
	c.nodes++
	if c.nodes > c.budget.lim.FileValues {
		c.diags.Add(c.at(n), diag.Error, CodeStructure, "the file expands to more than %d values (alias bomb?); the rest of it is not read", c.budget.lim.FileValues)
		return nil, false
	}
	if c.nodes%4096 == 0 && c.budget.over() {
		// Another file spent the run's budget; Load reports it once.
		c.diags.Add(c.at(n), diag.Error, CodeStructure, "the AIMS expands to more than %d values in all", c.budget.lim.RunValues)
		return nil, false
	}
	if depth > MaxDepth {
		c.diags.Add(c.at(n), diag.Error, CodeStructure, "nesting deeper than %d levels", MaxDepth)
		return nil, false
	}
	sp := c.pos[ptr]
	sp.valLine, sp.valCol = int32(n.Line), int32(n.Column)
	c.pos[ptr] = sp

	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, true
		}
		return c.convert(n.Content[0], ptr, depth)
	case yaml.AliasNode:
		return c.convert(n.Alias, ptr, depth+1)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for i, item := range n.Content {
			v, ok := c.convert(item, ptr+"/"+strconv.Itoa(i), depth+1)
			if !ok {
				return nil, false
			}
			out = append(out, v)
		}
		return out, true
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		if !c.mapping(n, ptr, depth, out, false) {
			return nil, false
		}
		return out, true
	case yaml.ScalarNode:
		v := c.scalar(n)
		c.noteScalar(v)
		switch v.(type) {
		case int64, float64:
			// "7.4" in a list of clause ids is a float to YAML; keep what the
			// user wrote so it can be read back as the id it was meant to be.
			c.raw[ptr] = n.Value
		}
		return v, true
	}
	c.diags.Add(c.at(n), diag.Error, CodeStructure, "unsupported YAML node")
	return nil, false
}

// mapping fills out from n. Explicit keys win over merged ones ("<<"), as in
// YAML's merge-key convention; merged keys never overwrite.
func (c *nodeConverter) mapping(n *yaml.Node, ptr string, depth int, out map[string]any, merging bool) bool {
	// Merges nest like values do: a mapping that merges itself
	// (a: &a {<<: *a}) would otherwise recurse until the stack overflows.
	if depth > MaxDepth {
		c.diags.Add(c.at(n), diag.Error, CodeStructure, "nesting deeper than %d levels", MaxDepth)
		return false
	}
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			merges = append(merges, v)
			continue
		}
		if k.Kind != yaml.ScalarNode {
			c.diags.Add(c.at(k), diag.Error, CodeStructure, "mapping key must be a plain string")
			continue
		}
		key := k.Value
		if _, dup := out[key]; dup {
			if !merging {
				c.diags.Add(c.at(k), diag.Error, CodeStructure, "duplicate key %q", key)
			}
			continue
		}
		child := ptr + "/" + escape(key)
		if !merging {
			c.pos[child] = span{keyLine: int32(k.Line), keyCol: int32(k.Column)}
		}
		val, ok := c.convert(v, child, depth+1)
		if !ok {
			return false
		}
		out[key] = val
	}
	for _, m := range merges {
		if m.Kind == yaml.AliasNode {
			m = m.Alias
		}
		srcs := []*yaml.Node{m}
		if m.Kind == yaml.SequenceNode {
			srcs = m.Content
		}
		for _, s := range srcs {
			if s.Kind == yaml.AliasNode {
				s = s.Alias
			}
			if s.Kind != yaml.MappingNode {
				c.diags.Add(c.at(s), diag.Error, CodeStructure, "merge key \"<<\" needs a mapping or a list of mappings")
				continue
			}
			c.nodes += len(s.Content)
			if !c.mapping(s, ptr, depth+1, out, true) {
				return false
			}
		}
	}
	return true
}

func (c *nodeConverter) scalar(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		var b bool
		if n.Decode(&b) == nil {
			return b
		}
	case "!!int":
		var i int64
		if n.Decode(&i) == nil {
			return i
		}
		var f float64
		if n.Decode(&f) == nil {
			return f
		}
	case "!!float":
		var f float64
		if n.Decode(&f) == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return f
		}
		c.diags.Add(c.at(n), diag.Error, CodeStructure, "number %q is not finite", n.Value)
		return n.Value
	case "!!str", "!!timestamp", "!!binary":
		if n.Style == 0 && yaml11Bools[strings.ToLower(n.Value)] {
			c.diags.Add(c.at(n), diag.Warning, CodeYAML11Bool,
				"unquoted %s is a string here but a boolean to YAML 1.1 tools; write %q or true/false", n.Value, n.Value)
		}
		// Timestamps stay text: dates are validated as strings by the schema.
		return n.Value
	default:
		c.diags.Add(c.at(n), diag.Warning, CodeStructure, "custom tag %s ignored; value read as text", n.Tag)
	}
	return n.Value
}

// readDataNodes is readData through a yaml.v3 node tree.
func readDataNodes(p string, data []byte) (*Document, diag.List) {
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		return nil, diag.List{syntaxDiag(p, data, err, 0)}
	}
	if len(n.Content) == 0 {
		var diags diag.List
		diags.Add(diag.Pos{File: p, Line: 1, Col: 1}, diag.Error, CodeStructure, "file is empty")
		return nil, diags
	}
	var run atomic.Int64
	values := 0
	return convertDoc(p, 0, &n, 0, &budget{lim: Limits{}.orDefault(), run: &run}, &values)
}

// aimsFrontMatterNodes is aimsFrontMatter through a yaml.v3 node tree, as
// aims read front matter before: it reports whether front matter is worth parsing as an AIMS
// document, reading the top-level keys only (no alias is expanded): it names
// an aims apiVersion, or it has a kind but no apiVersion (discovery then
// reports it when the kind is an AIMS kind). Front matter of other tools
// (title, layout) is not ours.
func aimsFrontMatterNodes(front []byte) bool {
	var n yaml.Node
	if yaml.NewDecoder(bytes.NewReader(front)).Decode(&n) != nil {
		return true // let parsing report the problem
	}
	if len(n.Content) == 0 {
		return false
	}
	m := n.Content[0]
	if m.Kind != yaml.MappingNode {
		return true // parsing says it must be a mapping
	}
	apiVersion, kind := "", false
	for i := 0; i+1 < len(m.Content); i += 2 {
		switch m.Content[i].Value {
		case "apiVersion":
			apiVersion = m.Content[i+1].Value
		case "kind":
			kind = true
		}
	}
	if apiVersion != "" {
		return strings.HasPrefix(apiVersion, APIPrefix)
	}
	return kind
}
