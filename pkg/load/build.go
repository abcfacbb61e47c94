package load

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/load/internal/yamlscan"
)

// event is one parser event of a file, kept in a flat log instead of a
// yaml.v3 node tree: a collection's children follow it, each ending where
// its next says. Scalars carry the tag and style yaml.v3 would give their
// node, so values, positions and diagnostics are exactly those of the tree.
type event struct {
	kind      yamlscan.EventKind
	style     yaml.Style
	line, col int
	tag       string
	value     string
	next      int // index after this event's subtree
	ref       int // an alias's anchored event
	count     int // children of a collection
}

// parseYAML parses every document in data without building yaml.v3 node
// trees: the parser's events go into a flat log that is converted at the end
// of each document, as parseYAMLNodes converts each tree. lineOffset shifts
// positions for front matter, which starts below the opening "---" of a
// Markdown file.
func parseYAML(p string, data []byte, lineOffset int, b *budget) (r fileResult) {
	ps := yamlscan.NewParser(data)
	defer ps.Close()
	var (
		ev      yamlscan.Event
		log     []event
		open    []int
		anchors map[string]int // for the whole file, as in yaml.v3
		doc     int
		index   = -1
	)
	fileValues := 0
	fail := func(err error) fileResult {
		r.values = fileValues
		r.diags = append(r.diags, syntaxDiag(p, data, err, lineOffset))
		return r
	}
	for {
		if err := ps.Next(&ev); err != nil {
			return fail(err)
		}
		e := event{kind: ev.Kind, line: ev.Line + lineOffset, col: ev.Col}
		switch ev.Kind {
		case yamlscan.StreamEnd:
			r.values = fileValues
			return r
		case yamlscan.DocumentStart:
			index++
			if len(anchors) == 0 {
				log = log[:0] // no later document can refer to earlier events
			}
			doc = len(log)
			log = append(log, e)
			continue
		case yamlscan.DocumentEnd:
			d, diags := convertEvents(p, index, log, doc, b, &fileValues)
			r.values = fileValues
			if fileValues > b.lim.FileValues || b.over() {
				r.diags = append(r.diags, diags...)
				return r
			}
			r.add(d, diags)
			continue
		case yamlscan.Alias:
			target, ok := anchors[string(ev.Anchor)]
			if !ok {
				return fail(fmt.Errorf("yaml: unknown anchor '%s' referenced", ev.Anchor))
			}
			e.ref = target
		case yamlscan.Scalar:
			e.value = string(ev.Value)
			e.tag, e.style = scalarTag(string(ev.Tag), e.value, ev.Style)
		case yamlscan.SequenceEnd, yamlscan.MappingEnd:
			start := open[len(open)-1]
			open = open[:len(open)-1]
			log[start].next = len(log) + 1
			log = append(log, e)
			continue
		}
		if len(open) > 0 {
			log[open[len(open)-1]].count++
		}
		i := len(log)
		e.next = i + 1
		if ev.Anchor != nil && ev.Kind != yamlscan.Alias {
			if anchors == nil {
				anchors = map[string]int{}
			}
			anchors[string(ev.Anchor)] = i
		}
		log = append(log, e)
		if ev.Kind == yamlscan.SequenceStart || ev.Kind == yamlscan.MappingStart {
			open = append(open, i)
		}
	}
}

// scalarTag is the tag and style yaml.v3 gives a scalar's node.
func scalarTag(tag, value string, s yamlscan.ScalarStyle) (string, yaml.Style) {
	var style yaml.Style
	switch s {
	case yamlscan.DoubleQuoted:
		style = yaml.DoubleQuotedStyle
	case yamlscan.SingleQuoted:
		style = yaml.SingleQuotedStyle
	case yamlscan.Literal:
		style = yaml.LiteralStyle
	case yamlscan.Folded:
		style = yaml.FoldedStyle
	}
	def := ""
	if style == 0 {
		if value == "<<" {
			def = "!!merge"
		}
	} else {
		def = "!!str"
	}
	switch {
	case tag != "" && tag != "!":
		if rest, ok := strings.CutPrefix(tag, "tag:yaml.org,2002:"); ok {
			tag = "!!" + rest
		}
		return tag, style | yaml.TaggedStyle
	case def != "":
		return def, style
	}
	n := yaml.Node{Kind: yaml.ScalarNode, Value: value}
	return n.ShortTag(), style
}

// add files a converted document as parseYAMLNodes does; false when it is
// not one (it failed, or it is some other tool's YAML).
func (r *fileResult) add(doc *Document, diags diag.List) bool {
	if doc == nil {
		r.diags = append(r.diags, diags...)
		return false
	}
	if doc.APIVersion == "" {
		r.undeclared = append(r.undeclared, undeclared{doc, diags})
		return false // a document or not depending on where the file is
	}
	if !strings.HasPrefix(doc.APIVersion, APIPrefix) {
		return false // some other tool's YAML
	}
	r.diags = append(r.diags, diags...)
	r.docs = append(r.docs, doc)
	return true
}

func convertEvents(p string, index int, log []event, doc int, b *budget, fileValues *int) (*Document, diag.List) {
	c := &converter{file: p, pos: map[string]span{}, raw: map[string]string{}, budget: b, nodes: *fileValues}
	v, ok := c.event(log, doc, "", 0)
	b.run.Add(int64(c.nodes - *fileValues))
	*fileValues = c.nodes
	if !ok {
		return nil, c.diags
	}
	root := &log[doc+1]
	return c.document(p, index, v, c.atEvent(root), eventKindName(root))
}

func eventKindName(e *event) string {
	switch e.kind {
	case yamlscan.SequenceStart:
		return "list"
	case yamlscan.Scalar:
		return "single value"
	}
	return "value"
}

func (c *converter) atEvent(e *event) diag.Pos {
	return diag.Pos{File: c.file, Line: e.line, Col: e.col}
}

// scalarNode lends a scalar event's node to the tag checks and decoding the
// tree path uses, so both resolve scalars in exactly the same way.
func (c *converter) scalarNode(e *event) *yaml.Node {
	c.tmp = yaml.Node{Kind: yaml.ScalarNode, Tag: e.tag, Value: e.value, Style: e.style, Line: e.line, Column: e.col}
	return &c.tmp
}

// event is convert over the log: the value of the subtree at log[i].
func (c *converter) event(log []event, i int, ptr string, depth int) (any, bool) {
	e := &log[i]
	c.nodes++
	if c.nodes > c.budget.lim.FileValues {
		c.diags.Add(c.atEvent(e), diag.Error, CodeStructure, "the file expands to more than %d values (alias bomb?); the rest of it is not read", c.budget.lim.FileValues)
		return nil, false
	}
	if c.nodes%4096 == 0 && c.budget.over() {
		c.diags.Add(c.atEvent(e), diag.Error, CodeStructure, "the AIMS expands to more than %d values in all", c.budget.lim.RunValues)
		return nil, false
	}
	if depth > MaxDepth {
		c.diags.Add(c.atEvent(e), diag.Error, CodeStructure, "nesting deeper than %d levels", MaxDepth)
		return nil, false
	}
	sp := c.pos[ptr]
	sp.val = c.atEvent(e)
	c.pos[ptr] = sp

	switch e.kind {
	case yamlscan.DocumentStart:
		return c.event(log, i+1, ptr, depth)
	case yamlscan.Alias:
		return c.event(log, e.ref, ptr, depth+1)
	case yamlscan.SequenceStart:
		out := make([]any, 0, e.count)
		for j := i + 1; log[j].kind != yamlscan.SequenceEnd; j = log[j].next {
			v, ok := c.event(log, j, ptr+"/"+strconv.Itoa(len(out)), depth+1)
			if !ok {
				return nil, false
			}
			out = append(out, v)
		}
		return out, true
	case yamlscan.MappingStart:
		out := make(map[string]any, e.count/2)
		if !c.eventMapping(log, i, ptr, depth, out, false) {
			return nil, false
		}
		return out, true
	case yamlscan.Scalar:
		v := c.scalar(c.scalarNode(e))
		switch v.(type) {
		case int64, float64:
			c.raw[ptr] = e.value
		}
		return v, true
	}
	c.diags.Add(c.atEvent(e), diag.Error, CodeStructure, "unsupported YAML node")
	return nil, false
}

// eventMapping is mapping over the log.
func (c *converter) eventMapping(log []event, i int, ptr string, depth int, out map[string]any, merging bool) bool {
	var merges []int
	for j := i + 1; log[j].kind != yamlscan.MappingEnd; {
		k, v := j, log[j].next
		j = log[v].next
		ke := &log[k]
		if ke.kind == yamlscan.Scalar && c.scalarNode(ke).ShortTag() == "!!merge" {
			merges = append(merges, v)
			continue
		}
		if ke.kind != yamlscan.Scalar {
			c.diags.Add(c.atEvent(ke), diag.Error, CodeStructure, "mapping key must be a plain string")
			continue
		}
		key := ke.value
		if _, dup := out[key]; dup {
			if !merging {
				c.diags.Add(c.atEvent(ke), diag.Error, CodeStructure, "duplicate key %q", key)
			}
			continue
		}
		child := ptr + "/" + escape(key)
		if !merging {
			c.pos[child] = span{key: c.atEvent(ke)}
		}
		val, ok := c.event(log, v, child, depth+1)
		if !ok {
			return false
		}
		out[key] = val
	}
	for _, m := range merges {
		if log[m].kind == yamlscan.Alias {
			m = log[m].ref
		}
		srcs := []int{m}
		if log[m].kind == yamlscan.SequenceStart {
			srcs = srcs[:0]
			for j := m + 1; log[j].kind != yamlscan.SequenceEnd; j = log[j].next {
				srcs = append(srcs, j)
			}
		}
		for _, s := range srcs {
			if log[s].kind == yamlscan.Alias {
				s = log[s].ref
			}
			if log[s].kind != yamlscan.MappingStart {
				c.diags.Add(c.atEvent(&log[s]), diag.Error, CodeStructure, "merge key \"<<\" needs a mapping or a list of mappings")
				continue
			}
			c.nodes += log[s].count
			if !c.eventMapping(log, s, ptr, depth+1, out, true) {
				return false
			}
		}
	}
	return true
}
