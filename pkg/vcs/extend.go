package vcs

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// A file's history at a commit is, when the file is identical in the
// commit and its first parent, the file's history at that parent: git's
// walk for the file goes on to the first parent it is identical to and
// holds only that one, as a walk started there would (the walk reproduces
// git's per file, see Provenance). With one parent and a changed file, it
// is the commit followed by the history at the parent. So a walk kept for
// an ancestor is extended to a descendant along first parents by comparing
// each commit's tree with its first parent's; a file with no history in
// the kept walk (added), or changed by a merge from its first parent, is
// walked alone from the commit.

// Chain lists commit (a full hash) and its ancestors along first parents,
// newest first: each listed commit but the last has a parent and is not
// the boundary of a shallow clone. At most max are listed, and the list
// ends at the first ancestor for which found reports true (nil: none
// does): no commit older than that is read. found runs with the
// repository locked and must not call its methods.
func (r *Repo) Chain(commit string, max int, found func(string) bool) ([]string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	h := plumbing.NewHash(commit)
	if h.String() != commit {
		return nil, fmt.Errorf("not a full commit hash: %q", commit)
	}
	shallow, err := r.st.Shallow()
	if err != nil {
		return nil, fmt.Errorf("read shallow boundary: %w", err)
	}
	boundary := map[plumbing.Hash]bool{}
	for _, b := range shallow {
		boundary[b] = true
	}
	w := &walk{r: r, commits: map[plumbing.Hash]*wcommit{}}
	out := []string{commit}
	for len(out) < max && !boundary[h] {
		c, err := w.commit(h)
		if err != nil {
			return nil, err
		}
		if len(c.parents) == 0 {
			break
		}
		h = c.parents[0]
		out = append(out, h.String())
		if found != nil && found(h.String()) {
			break
		}
	}
	return out, nil
}

// Extend computes the walk at chain[0] from base, the walk at the last
// commit of chain, where chain is what Chain listed (newest first), for
// files under prefix.
func (r *Repo) Extend(base Provenance, prefix string, chain []string) (Provenance, bool, error) {
	prefix, err := cleanPrefix(prefix)
	if err != nil {
		return Provenance{}, false, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	p := base
	for i := len(chain) - 2; i >= 0; i-- {
		var ok bool
		if p, ok, err = r.step(p, prefix, plumbing.NewHash(chain[i]), plumbing.NewHash(chain[i+1])); err != nil || !ok {
			return Provenance{}, false, err
		}
	}
	return p, true, nil
}

// step extends prev, the walk at parent, to child, whose first parent it
// is. A file identical in child and parent takes its history from prev:
// git's walk for it goes to the first parent it is identical to, and from
// there on is the walk at the parent. So does a file a single-parent child
// changes, behind child. Any other file (one a single-parent child adds,
// one a merge changes from its first parent) is walked alone from child.
func (r *Repo) step(prev Provenance, prefix string, child, parent plumbing.Hash) (Provenance, bool, error) {
	w := &walk{r: r, commits: map[plumbing.Hash]*wcommit{}}
	c, err := w.commit(child)
	if err != nil {
		return Provenance{}, false, err
	}
	if len(c.parents) == 0 || c.parents[0] != parent {
		return Provenance{}, false, fmt.Errorf("commit %s: %s is not its first parent", child, parent)
	}
	pc, err := w.commit(parent)
	if err != nil {
		return Provenance{}, false, err
	}
	w.root, w.files, err = r.universe(c.tree, prefix)
	if err != nil {
		return Provenance{}, false, err
	}
	w.words = (len(w.files) + 63) / 64
	all, changed := w.newSet(), w.newSet()
	for i := range w.files {
		all.set(i)
	}
	if err := w.diff(w.root, c.tree, pc.tree, all, changed); err != nil {
		return Provenance{}, false, err
	}
	rel := make([]string, len(w.files))
	var alone []string // full paths walked from child, in w.files order
	for i, name := range w.files {
		rel[i] = strings.TrimPrefix(name[len(prefix):], "/")
		_, kept := prev.Files[rel[i]]
		if !kept || len(c.parents) > 1 && changed.anyIn(i, i+1) {
			alone = append(alone, name)
		}
	}
	walked := map[string]History{}
	incomplete := prev.Incomplete
	if len(alone) > 0 {
		root, files := trie(alone)
		aw, err := r.walkFrom(child, root, files)
		if err != nil {
			return Provenance{}, false, err
		}
		incomplete = incomplete || aw.incomplete
		for i, name := range files {
			h := History{Commits: make([]Commit, len(aw.shown[i]))}
			for j, c := range aw.shown[i] {
				h.Commits[j] = *c
			}
			walked[strings.TrimPrefix(name[len(prefix):], "/")] = h
		}
	}
	next := Provenance{Files: make(map[string]History, len(w.files)), Incomplete: incomplete}
	var info *Commit
	for i, f := range rel {
		if h, ok := walked[f]; ok {
			next.Files[f] = h
			continue
		}
		h := prev.Files[f]
		if changed.anyIn(i, i+1) { // a single-parent child that changed f
			if info == nil {
				if c.obj == nil {
					if c.obj, err = w.decodeCommit(child); err != nil {
						return Provenance{}, false, err
					}
				}
				ci := toCommit(c.obj)
				info = &ci
			}
			h = History{Commits: append([]Commit{*info}, h.Commits...)}
		}
		next.Files[f] = h
	}
	return next, true, nil
}

// trie is the path trie of files (full slash paths) as universe builds
// it, files numbered depth first so that each directory covers a
// contiguous range; it returns the files in that order.
func trie(files []string) (*pnode, []string) {
	top := &pnode{kids: map[string]*pnode{}}
	for _, f := range files {
		n := top
		parts := strings.Split(f, "/")
		for _, part := range parts[:len(parts)-1] {
			kid, ok := n.kids[part]
			if !ok {
				kid = &pnode{kids: map[string]*pnode{}}
				n.kids[part] = kid
			}
			n = kid
		}
		n.kids[parts[len(parts)-1]] = &pnode{file: true}
	}
	var order []string
	var number func(n *pnode, dir string)
	number = func(n *pnode, dir string) {
		n.lo = len(order)
		for _, name := range slices.Sorted(maps.Keys(n.kids)) {
			kid := n.kids[name]
			p := strings.TrimPrefix(dir+"/"+name, "/")
			if kid.file {
				kid.lo, kid.hi = len(order), len(order)+1
				order = append(order, p)
				continue
			}
			number(kid, p)
		}
		n.hi = len(order)
	}
	number(top, "")
	return top, order
}
