package load

import "github.com/aims-dev/aims/pkg/diag"

// PointerAt is the JSON pointer of the field whose key or value sits at p,
// the shortest when several start there (a mapping and its first key). It
// lets formats that track findings across commits (SARIF fingerprints) name
// a finding by document and field instead of by line.
func (d *Document) PointerAt(p diag.Pos) (string, bool) {
	best, found := "", false
	for ptr, sp := range d.positions() {
		if sp.key(d.File) != p && sp.val(d.File) != p {
			continue
		}
		if !found || len(ptr) < len(best) || len(ptr) == len(best) && ptr < best {
			best, found = ptr, true
		}
	}
	if !found && p == d.start {
		return "", true
	}
	return best, found
}

// DocumentAt is the document of s that holds p: the last one in p's file
// starting at or before it.
func (s *Set) DocumentAt(p diag.Pos) *Document {
	var at *Document
	for _, d := range s.Docs {
		if d.File != p.File {
			continue
		}
		if d.start.Line < p.Line || d.start.Line == p.Line && d.start.Col <= p.Col {
			if at == nil || d.start.Line >= at.start.Line {
				at = d
			}
		}
	}
	return at
}
