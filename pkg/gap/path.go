package gap

import (
	"path"
	"strings"

	"github.com/aims-dev/aims/pkg/load"
)

// fieldPath is a field path of a rule table (pastDates, narratives) split
// once: keys, and "*" for every element of a list.
type fieldPath struct {
	segs  []string
	stars int
}

func splitPath(p string) fieldPath {
	segs := strings.Split(p, "/")
	return fieldPath{segs: segs, stars: strings.Count(p, "*")}
}

// finder finds the values at a fieldPath in a document without allocating
// per document: the rules that ask look at a few fields of every document
// and report on almost none, so the pointer of a value is built only when
// one is reported. It is reused from search to search.
type finder struct {
	hits []any // the values found by the last find
	idx  []int // for hit i, the list index taken at each star, at i*stars; -1 where a mapping had a key "*"
	cur  []int
}

// find collects every value at p below v, in document order.
func (f *finder) find(v any, p fieldPath) {
	f.hits, f.idx, f.cur = f.hits[:0], f.idx[:0], f.cur[:0]
	f.walk(v, p.segs)
}

func (f *finder) walk(v any, segs []string) {
	if len(segs) == 0 {
		f.hits = append(f.hits, v)
		f.idx = append(f.idx, f.cur...)
		return
	}
	switch v := v.(type) {
	case map[string]any, load.Fields:
		x, ok := load.Get(v, segs[0])
		switch {
		case !ok:
		case segs[0] == "*":
			f.cur = append(f.cur, -1)
			f.walk(x, segs[1:])
			f.cur = f.cur[:len(f.cur)-1]
		default:
			f.walk(x, segs[1:])
		}
	case []any:
		if segs[0] != "*" {
			return
		}
		for i, x := range v {
			f.cur = append(f.cur, i)
			f.walk(x, segs[1:])
			f.cur = f.cur[:len(f.cur)-1]
		}
	}
}

// ptr is the pointer of hit i of the last find of p: keys and list
// indices, as load.Pointer takes them.
func (f *finder) ptr(p fieldPath, i int) []any {
	out := make([]any, len(p.segs))
	k := i * p.stars
	for j, s := range p.segs {
		if s == "*" && f.idx[k] >= 0 {
			out[j] = f.idx[k]
		} else {
			out[j] = s
		}
		if s == "*" {
			k++
		}
	}
	return out
}

// Fields are the fields the analysis reads from the values of a document
// of kind k, rather than from its typed struct (field paths as
// load.NewProjection takes them): the dates that record something done
// and the narratives that carry a control, with the key beside a
// narrative that names its requirement. A caller may drop the rest of a
// document's values (load.Document.Project) before Analyze.
func Fields(k string) []string {
	var out []string
	for _, pd := range pastDatesOf(k) {
		out = append(out, pd.Path)
	}
	for _, nf := range narrativesOf[k] {
		out = append(out, nf.Path)
		if nf.RefKey != "" {
			out = append(out, path.Join(path.Dir(nf.Path), nf.RefKey))
		}
	}
	return out
}
