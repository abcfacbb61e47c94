package load

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/load/internal/yamlscan"
)

// event is one parser event of a file, kept in a flat log instead of a
// yaml.v3 node tree: a collection's children follow it, each ending where
// its next says. A scalar is resolved once, when it is parsed, to the tag,
// value and diagnostic yaml.v3's node would have given it (resolve.go), so
// values, positions and diagnostics are exactly those of the tree, and an
// alias expanded many times resolves nothing again.
type event struct {
	kind      yamlscan.EventKind
	note      scalarNote // what converting the scalar reports
	number    bool       // the scalar is a number: its text is kept (Document.Raw)
	line, col int
	tag       string // a scalar's short tag, as its node's
	value     string // a scalar's text
	val       any    // a scalar's JSON-model value
	next      int    // index after this event's subtree
	ref       int    // an alias's anchored event
	count     int    // children of a collection
}

// eventLog is the log of one parse and its stack of open collections,
// reused by the next parse on the same worker: a log grows to a file's
// size once instead of for every file.
type eventLog struct {
	events []event
	open   []int
}

var eventLogs = sync.Pool{New: func() any { return new(eventLog) }}

// maxPooledEvents keeps the log of an unusually large file from being held
// for the rest of the run.
const maxPooledEvents = 1 << 14

// parseYAML parses every document in data without building yaml.v3 node
// trees. lineOffset shifts positions for front matter, which starts below
// the opening "---" of a Markdown file. Budget errors end the file: later
// documents would only spend more of it.
func parseYAML(p string, data []byte, lineOffset int, b *budget) (r fileResult) {
	values, syntax := eachDocument(p, data, lineOffset, b, func(d *Document, diags diag.List, values int) bool {
		if values > b.lim.FileValues || b.over() {
			r.diags = append(r.diags, diags...)
			return false
		}
		r.add(d, diags)
		return true
	})
	r.values = values
	if syntax != nil {
		r.diags = append(r.diags, *syntax)
	}
	return r
}

// eachDocument parses data and converts each document as it ends, handing
// it (nil if it failed) with its diagnostics and the values of the file so
// far to each, until each returns false: the rest of data is not parsed.
// The parser's events go into a flat log that is converted at the end of
// each document. It returns the file's values and the diagnostic of a
// syntax error, which ends the parse.
func eachDocument(p string, data []byte, lineOffset int, b *budget, each func(*Document, diag.List, int) bool) (fileValues int, syntax *diag.Diagnostic) {
	ps := yamlscan.NewParser(data)
	defer ps.Close()
	el := eventLogs.Get().(*eventLog)
	defer func() {
		if cap(el.events) <= maxPooledEvents {
			clear(el.events) // no file's values outlive it here
			el.events, el.open = el.events[:0], el.open[:0]
			eventLogs.Put(el)
		}
	}()
	var (
		ev      yamlscan.Event
		log     = el.events[:0]
		open    = el.open[:0]
		anchors map[string]int // for the whole file, as in yaml.v3
		doc     int
		values  int // value events of the document, to size its maps
		index   = -1
	)
	defer func() { el.events, el.open = log, open }()
	fail := func(err error) (int, *diag.Diagnostic) {
		d := syntaxDiag(p, data, err, lineOffset)
		return fileValues, &d
	}
	for {
		if err := ps.Next(&ev); err != nil {
			return fail(err)
		}
		log = append(log, event{kind: ev.Kind, line: ev.Line + lineOffset, col: ev.Col})
		i := len(log) - 1
		e := &log[i]
		switch ev.Kind {
		case yamlscan.StreamEnd:
			return fileValues, nil
		case yamlscan.DocumentStart:
			index++
			if len(anchors) == 0 && i > 0 {
				// No later document can refer to earlier events.
				log[0] = *e
				clear(log[1:])
				log, i = log[:1], 0
			}
			doc, values = i, 0
			continue
		case yamlscan.DocumentEnd:
			d, diags := convertEvents(p, index, log, doc, values, b, &fileValues)
			if !each(d, diags, fileValues) {
				return fileValues, nil
			}
			continue
		case yamlscan.Alias:
			target, ok := anchors[string(ev.Anchor)]
			if !ok {
				return fail(fmt.Errorf("yaml: unknown anchor '%s' referenced", ev.Anchor))
			}
			e.ref = target
		case yamlscan.Scalar:
			e.value = ev.Text
			resolveScalar(e, ev.Tag, ev.Style)
		case yamlscan.SequenceEnd, yamlscan.MappingEnd:
			start := open[len(open)-1]
			open = open[:len(open)-1]
			log[start].next = i + 1
			continue
		}
		values++
		if len(open) > 0 {
			log[open[len(open)-1]].count++
		}
		e.next = i + 1
		if ev.Anchor != nil && ev.Kind != yamlscan.Alias {
			if anchors == nil {
				anchors = map[string]int{}
			}
			anchors[string(ev.Anchor)] = i
		}
		if ev.Kind == yamlscan.SequenceStart || ev.Kind == yamlscan.MappingStart {
			open = append(open, i)
		}
	}
}

// add files a converted document; false when it is not one (it failed, or
// it is some other tool's YAML).
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

func convertEvents(p string, index int, log []event, doc, values int, b *budget, fileValues *int) (*Document, diag.List) {
	c := &converter{file: p, raw: map[string]string{}, budget: b, nodes: *fileValues}
	bufs := convertBufs.Get().(*convertBuf)
	c.ptr, c.pos = bufs.ptr[:0], posWriter{b: bufs.pos[:0], prev: bufs.prev[:0]}
	defer func() {
		if cap(c.pos.b) <= maxPooledPositions {
			bufs.ptr, bufs.pos, bufs.prev = c.ptr, c.pos.b, c.pos.prev
			convertBufs.Put(bufs)
		}
	}()
	v, ok := c.event(log, doc, 0, diag.Pos{}, 0)
	b.run.Add(int64(c.nodes - *fileValues))
	*fileValues = c.nodes
	if !ok {
		return nil, c.diags
	}
	root := &log[doc+1]
	return c.document(p, index, v, c.atEvent(root), eventKindName(root))
}

// convertBuf is a converter's pointer and positions buffers, reused by the
// next document on the same worker: they grow to a document's size once.
type convertBuf struct{ ptr, pos, prev []byte }

var convertBufs = sync.Pool{New: func() any { return new(convertBuf) }}

// maxPooledPositions keeps the buffer of an unusually large document from
// being held for the rest of the run.
const maxPooledPositions = 1 << 20

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

// event converts the subtree at log[i] into a JSON-model value, recording
// positions under the pointer c.ptr[:plen]; key is where its key is, for a
// mapping member.
func (c *converter) event(log []event, i int, plen int, key diag.Pos, depth int) (any, bool) {
	e := &log[i]
	c.nodes++
	if c.nodes > c.budget.lim.FileValues {
		c.diags.Add(c.atEvent(e), diag.Error, CodeStructure, "the file expands to more than %d values (alias bomb?); the rest of it is not read", c.budget.lim.FileValues)
		return nil, false
	}
	if c.nodes%4096 == 0 && c.budget.over() {
		// Another file spent the run's budget; Load reports it once.
		c.diags.Add(c.atEvent(e), diag.Error, CodeStructure, "the AIMS expands to more than %d values in all", c.budget.lim.RunValues)
		return nil, false
	}
	if depth > MaxDepth {
		c.diags.Add(c.atEvent(e), diag.Error, CodeStructure, "nesting deeper than %d levels", MaxDepth)
		return nil, false
	}
	switch e.kind {
	case yamlscan.DocumentStart:
		return c.event(log, i+1, plen, key, depth)
	case yamlscan.Alias:
		// The value is where the anchor is, as yaml.v3 placed it.
		return c.event(log, e.ref, plen, key, depth+1)
	}
	c.addPos(c.ptr[:plen], key.Line, key.Col, e.line, e.col)

	switch e.kind {
	case yamlscan.SequenceStart:
		out := make([]any, 0, e.count)
		for j := i + 1; log[j].kind != yamlscan.SequenceEnd; j = log[j].next {
			c.ptr = strconv.AppendInt(append(c.ptr[:plen], '/'), int64(len(out)), 10)
			v, ok := c.event(log, j, len(c.ptr), diag.Pos{}, depth+1)
			if !ok {
				return nil, false
			}
			out = append(out, v)
		}
		return out, true
	case yamlscan.MappingStart:
		out := make(map[string]any, e.count/2)
		if !c.eventMapping(log, i, plen, depth, out, false) {
			return nil, false
		}
		return out, true
	case yamlscan.Scalar:
		c.note(e)
		c.noteScalar(e.val)
		if e.number {
			// "7.4" in a list of clause ids is a float to YAML; keep what the
			// user wrote so it can be read back as the id it was meant to be.
			c.raw[string(c.ptr[:plen])] = e.value
		}
		return e.val, true
	}
	c.diags.Add(c.atEvent(e), diag.Error, CodeStructure, "unsupported YAML node")
	return nil, false
}

// note reports what resolving a scalar found, at the scalar.
func (c *converter) note(e *event) {
	switch e.note {
	case noteYAML11:
		c.diags.Add(c.atEvent(e), diag.Warning, CodeYAML11Bool,
			"unquoted %s is a string here but a boolean to YAML 1.1 tools; write %q or true/false", e.value, e.value)
	case noteNotFinite:
		c.diags.Add(c.atEvent(e), diag.Error, CodeStructure, "number %q is not finite", e.value)
	case noteCustomTag:
		c.diags.Add(c.atEvent(e), diag.Warning, CodeStructure, "custom tag %s ignored; value read as text", e.tag)
	}
}

// eventMapping fills out from the mapping at log[i]. Explicit keys win over
// merged ones ("<<"), as in YAML's merge-key convention; merged keys never
// overwrite.
func (c *converter) eventMapping(log []event, i int, plen int, depth int, out map[string]any, merging bool) bool {
	// Merges nest like values do: a mapping that merges itself
	// (a: &a {<<: *a}) would otherwise recurse until the stack overflows.
	if depth > MaxDepth {
		c.diags.Add(c.atEvent(&log[i]), diag.Error, CodeStructure, "nesting deeper than %d levels", MaxDepth)
		return false
	}
	var merges []int
	for j := i + 1; log[j].kind != yamlscan.MappingEnd; {
		k, v := j, log[j].next
		j = log[v].next
		ke := &log[k]
		if ke.kind != yamlscan.Scalar {
			c.diags.Add(c.atEvent(ke), diag.Error, CodeStructure, "mapping key must be a plain string")
			continue
		}
		if ke.tag == mergeTag {
			merges = append(merges, v)
			continue
		}
		key := ke.value
		if _, dup := out[key]; dup {
			if !merging {
				c.diags.Add(c.atEvent(ke), diag.Error, CodeStructure, "duplicate key %q", key)
			}
			continue
		}
		var at diag.Pos
		if !merging {
			at = c.atEvent(ke)
		}
		c.ptr = appendEscaped(append(c.ptr[:plen], '/'), key)
		val, ok := c.event(log, v, len(c.ptr), at, depth+1)
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
			if !c.eventMapping(log, s, plen, depth+1, out, true) {
				return false
			}
		}
	}
	return true
}
