package vcs

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// A file's history at a commit with one parent is that commit, if it
// changed the file, followed by the file's history at the parent: git's
// walk for the file pops the commit, and then holds only the parent, as a
// walk started there would (the walk reproduces git's per file, see
// Provenance). So a walk kept for an ancestor is extended to a descendant
// along a chain of single-parent commits by comparing each commit's tree
// with its parent's. A file a commit adds has no history in the kept walk:
// its history at the parent (empty, unless it existed once before) is
// walked for it alone.

// Chain lists commit (a full hash) and its ancestors along first parents,
// newest first: each listed commit but the last has exactly one parent and
// is not the boundary of a shallow clone. At most max are listed, and the
// list ends at the first ancestor for which found reports true (nil: none
// does): no commit older than that is read.
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
		if len(c.parents) != 1 {
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
// files under prefix. It reports false, and the caller walks instead, when
// the chain does not lead from base's commit.
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

// step extends prev, the walk at parent, to child, whose only parent it is.
func (r *Repo) step(prev Provenance, prefix string, child, parent plumbing.Hash) (Provenance, bool, error) {
	w := &walk{r: r, commits: map[plumbing.Hash]*wcommit{}}
	c, err := w.commit(child)
	if err != nil {
		return Provenance{}, false, err
	}
	if len(c.parents) != 1 || c.parents[0] != parent {
		return Provenance{}, false, fmt.Errorf("commit %s: not the only child of %s", child, parent)
	}
	pc, err := w.commit(parent)
	if err != nil {
		return Provenance{}, false, err
	}
	w.root, w.files, err = r.universe(c.tree, prefix)
	if err != nil {
		return Provenance{}, false, err
	}
	rel := make([]string, len(w.files))
	var added []string // full paths, in w.files order
	for i, name := range w.files {
		rel[i] = strings.TrimPrefix(name[len(prefix):], "/")
		if _, ok := prev.Files[rel[i]]; !ok {
			added = append(added, name)
		}
	}
	older := map[string]History{} // the added files' histories at parent
	incomplete := prev.Incomplete
	if len(added) > 0 {
		root, files := trie(added)
		aw, err := r.walkFrom(parent, root, files)
		if err != nil {
			return Provenance{}, false, err
		}
		incomplete = incomplete || aw.incomplete
		for i, name := range files {
			h := History{Commits: make([]Commit, len(aw.shown[i]))}
			for j, c := range aw.shown[i] {
				h.Commits[j] = *c
			}
			older[strings.TrimPrefix(name[len(prefix):], "/")] = h
		}
	}
	w.words = (len(w.files) + 63) / 64
	all, shown := w.newSet(), w.newSet()
	for i := range w.files {
		all.set(i)
	}
	if err := w.diff(w.root, c.tree, pc.tree, all, shown); err != nil {
		return Provenance{}, false, err
	}
	next := Provenance{Files: make(map[string]History, len(w.files)), Incomplete: incomplete}
	var info *Commit
	for i, f := range rel {
		h, ok := prev.Files[f]
		if !ok {
			h = older[f]
		}
		if shown.anyIn(i, i+1) {
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
