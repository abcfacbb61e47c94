package gap

import (
	"time"

	"github.com/aims-dev/aims/pkg/aims"
)

// scans are the values two rules report on, found on another core while
// the other rules run (Analyze): the dates of things done that lie after
// today (checkDates) and the narratives that are placeholders
// (checkNarratives). Finding them reads every document's values and
// reports on almost none: a quarter of the analysis of 10,000 documents,
// on one core while the other idled. Nothing a rule writes is read, and the
// rules report on what was found in the order they would have found it,
// so the findings are the same.
type scans struct {
	done       chan struct{}
	narratives []hit[narrativeOf]
	dates      []hit[pastDateOf]
}

// hit is a string value found by a scan, with the rule table entry whose
// path found it.
type hit[T any] struct {
	doc  aims.Doc
	rule T
	ptr  []any // as finder.ptr gives it
	s    string
}

// startScans starts the scans of every document of the model.
func (a *analyzer) startScans() {
	s := &scans{done: make(chan struct{})}
	a.scans = s
	all, now := a.m.All, a.now
	go func() {
		defer close(s.done)
		var f finder
		s.narratives = scan(&f, all, func(k string) []narrativeOf { return narrativesOf[k] },
			func(nf narrativeOf) fieldPath { return nf.path }, nil,
			func(s string) bool { return !says(s) })
		s.dates = scan(&f, all, pastDatesOf,
			func(pd pastDateOf) fieldPath { return pd.path },
			func(pd pastDateOf, d aims.Doc) bool { return pd.If == nil || pd.If(d) },
			func(s string) bool { return after(now, s) })
	}()
}

// scanned waits for the scans.
func (a *analyzer) scanned() *scans {
	<-a.scans.done
	return a.scans
}

// scan finds, in each document in turn, for each entry of its kind's rule
// table that applies to it (applies nil: every entry), the string values
// at the entry's path that keep holds.
func scan[T any](f *finder, all []aims.Doc, rules func(kind string) []T, pathOf func(T) fieldPath, applies func(T, aims.Doc) bool, keep func(string) bool) []hit[T] {
	var hits []hit[T]
	for _, d := range all {
		m := d.Header()
		if m.Doc == nil {
			continue
		}
		for _, r := range rules(m.Kind) {
			if applies != nil && !applies(r, d) {
				continue
			}
			p := pathOf(r)
			f.find(m.Doc.Root(), p)
			for i, v := range f.hits {
				if s, ok := v.(string); ok && keep(s) {
					hits = append(hits, hit[T]{doc: d, rule: r, ptr: f.ptr(p, i), s: s})
				}
			}
		}
	}
	return hits
}

// after reports whether date s is after today (now).
func after(now time.Time, s string) bool {
	d, ok := parseDate(s)
	return ok && d.After(now)
}
