package load

import (
	"slices"
	"strings"
)

// A Projection is the set of fields later stages read from the values of
// documents of one kind: field paths, slash-separated keys with "*" for
// every element of a list (or a key "*" of a mapping). Build one with
// NewProjection, once, and share it.
type Projection struct {
	paths [][]string
	tops  []string // the distinct first keys of paths
}

// NewProjection makes the projection onto paths. A path below another one
// adds nothing: the shorter keeps its whole value.
func NewProjection(paths ...string) *Projection {
	var all [][]string
	for _, s := range paths {
		all = append(all, strings.Split(s, "/"))
	}
	p := &Projection{}
	for i, a := range all {
		covered := false
		for j, b := range all {
			if j != i && len(b) <= len(a) && prefixOf(b, a) && (len(b) < len(a) || j < i) {
				covered = true
				break
			}
		}
		if !covered {
			p.paths = append(p.paths, a)
			if !slices.Contains(p.tops, a[0]) {
				p.tops = append(p.tops, a[0])
			}
		}
	}
	return p
}

func prefixOf(b, a []string) bool {
	for i := range b {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Fields is a mapping of a projection: the keys kept, in no particular
// order, with their values. Read it, or a map[string]any, with Get. Half
// the size of a Go map of the same few keys, which made projections the
// largest thing a run of 10,000 documents held.
type Fields []Field

// A Field is one key of Fields and its value.
type Field struct {
	Key   string
	Value any
}

// Get is the value at key of a mapping of values, a map[string]any or a
// projection's Fields; false for anything else or a missing key.
func Get(v any, key string) (any, bool) {
	switch m := v.(type) {
	case map[string]any:
		x, ok := m[key]
		return x, ok
	case Fields:
		for _, f := range m {
			if f.Key == key {
				return f.Value, true
			}
		}
	}
	return nil, false
}

// Root is the document's values as the stages after its own checks read
// them, with Get and the lists within: Value, or what Project kept of it.
func (d *Document) Root() any {
	if d.Value != nil {
		return d.Value
	}
	return d.kept
}

// Project replaces the document's values by their projection onto p (Root
// returns it, Value is nil) and drops what only the values needed (the
// source text of numbers): every walk along one of p's paths (Get for a
// key, or "*" over a list or for a key "*") then finds exactly the values
// it found before, in the same places and order, and nothing else. Used
// once the document's own checks are done and its typed struct is built,
// for the few fields that AIMS-wide checks read afterwards: a run then
// holds the values of no more documents than it is working on.
func (d *Document) Project(p *Projection) {
	n := 0
	for _, k := range p.tops {
		if _, ok := d.Value[k]; ok {
			n++
		}
	}
	out := make(Fields, 0, n)
	for _, segs := range p.paths {
		out, _ = project(out, d.Value, segs).(Fields)
	}
	d.Value, d.kept, d.raw = nil, out, nil
}

// project merges into dst (nil, or an earlier projection of v) the values
// of v along segs. Mappings become Fields of the keys on the path, lists
// keep their length, so indices do not move, and what is found at a
// path's end is kept whole.
func project(dst, v any, segs []string) any {
	if len(segs) == 0 {
		return v
	}
	switch v := v.(type) {
	case map[string]any:
		m, _ := dst.(Fields)
		x, ok := v[segs[0]]
		if !ok {
			return m
		}
		for i := range m {
			if m[i].Key == segs[0] {
				m[i].Value = project(m[i].Value, x, segs[1:])
				return m
			}
		}
		return append(m, Field{segs[0], project(nil, x, segs[1:])})
	case []any:
		if len(segs) == 1 && segs[0] == "*" {
			// Every element whole: the list itself. (A path into its
			// elements is covered by this one; a key of a list finds
			// nothing, whatever dst holds.)
			return v
		}
		l, _ := dst.([]any)
		if l == nil {
			l = make([]any, len(v))
		}
		if segs[0] == "*" {
			for i, x := range v {
				l[i] = project(l[i], x, segs[1:])
			}
		}
		return l // a key of a list finds nothing
	default:
		return nil // nothing is found below a scalar
	}
}
