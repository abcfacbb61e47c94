package vcs

import (
	"container/heap"
	"fmt"
	"io"
	"math/bits"
	"path"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	commitgraph "github.com/go-git/go-git/v5/plumbing/format/commitgraph/v2"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Provenance is the history of every file under a prefix at a revision.
type Provenance struct {
	// Files maps slash paths relative to the prefix to their history.
	Files map[string]History
	// Incomplete is true when the walk reached the boundary of a shallow
	// clone: older commits exist but are not here, so a file's first
	// commit may be the boundary rather than its real origin.
	Incomplete bool
}

// Provenance computes, for every file under prefix in rev, the commits that
// `git log -- <file>` would list at rev, with git's default history
// simplification:
//
//   - a commit with one parent is shown when the file differs from the
//     parent; a root commit (or a shallow boundary) when the file exists;
//   - a merge whose file is identical to some parent's (same blob, or absent
//     from both) is not shown, and only the first such parent is followed;
//     a merge that differs from every parent is shown and all are followed.
//
// All files are done in one walk of history: each commit carries the set of
// paths that reached it, and trees are compared by hash, descending only
// into subtrees that differ and hold a path still being traced.
//
// Histories are in git's order: its queue pops the latest committer date
// first and breaks ties by when a commit was queued, so with clock skew or
// equal dates the order is not simply by date. The walk reproduces the
// order git's walk for each file alone would take (see qentry).
func (r *Repo) Provenance(rev, prefix string) (Provenance, error) {
	prefix, err := cleanPrefix(prefix)
	if err != nil {
		return Provenance{}, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	start, err := r.resolve(rev)
	if err != nil {
		return Provenance{}, err
	}
	root, files, err := r.universe(start.TreeHash, prefix)
	if err != nil {
		return Provenance{}, err
	}
	w, err := r.walkFrom(start.Hash, root, files)
	if err != nil {
		return Provenance{}, err
	}

	p := Provenance{Files: make(map[string]History, len(w.files)), Incomplete: w.incomplete}
	for i, name := range w.files {
		cs := w.shown[i]
		h := History{Commits: make([]Commit, len(cs))}
		for j, c := range cs {
			h.Commits[j] = *c
		}
		p.Files[strings.TrimPrefix(name[len(prefix):], "/")] = h
	}
	return p, nil
}

// walkFrom runs the walk from commit start for the files of the trie root
// (numbered as files lists them), with the shallow boundary and the
// commit-graph as Provenance reads them. Called with r.mu held.
func (r *Repo) walkFrom(start plumbing.Hash, root *pnode, files []string) (*walk, error) {
	shallow, err := r.st.Shallow()
	if err != nil {
		return nil, fmt.Errorf("read shallow boundary: %w", err)
	}
	w := &walk{
		r:       r,
		commits: make(map[plumbing.Hash]*wcommit),
		shallow: make(map[plumbing.Hash]bool, len(shallow)),
	}
	for _, h := range shallow {
		w.shallow[h] = true
	}
	if len(shallow) == 0 {
		// git writes a commit-graph on gc: tree, parents and date of every
		// commit without inflating it. Commits newer than the graph, or a
		// graph that cannot be read, fall back to the objects. A shallow
		// clone's graph could name parents beyond the boundary: not used.
		if g, err := commitgraph.OpenChainOrFileIndex(graphFS{r.dot}); err == nil {
			w.graph = g
			if c, ok := g.(io.Closer); ok {
				defer c.Close()
			}
		}
	}
	w.root, w.files = root, files
	w.words = (len(w.files) + 63) / 64
	w.shown = make([][]*Commit, len(w.files))
	if err := w.run(start); err != nil {
		return nil, err
	}
	return w, nil
}

// pnode is a directory or file of the traced paths. Files are numbered in
// depth-first order so each directory covers the contiguous range [lo, hi)
// and "is any path below here still being traced" is a range test on a
// bitset.
type pnode struct {
	lo, hi int
	file   bool
	kids   map[string]*pnode
}

// universe lists the files under prefix in the tree at rev and builds the
// path trie rooted at the repository root, so walks can start from each
// commit's root tree. Submodules are not files and are left out.
func (r *Repo) universe(root plumbing.Hash, prefix string) (*pnode, []string, error) {
	top := &pnode{kids: map[string]*pnode{}}
	var files []string
	n, h := top, root
	if prefix != "" {
		for _, part := range strings.Split(prefix, "/") {
			t, err := r.tree(h)
			if err != nil {
				return nil, nil, err
			}
			e, ok := t.find([]byte(part))
			if !ok || !e.isDir() {
				return top, nil, nil // nothing under prefix: no files
			}
			kid := &pnode{kids: map[string]*pnode{}}
			n.kids[part] = kid
			n, h = kid, e.hash
		}
	}
	var fill func(n *pnode, h plumbing.Hash, dir string) error
	fill = func(n *pnode, h plumbing.Hash, dir string) error {
		t, err := r.tree(h)
		if err != nil {
			return err
		}
		n.lo = len(files)
		for k := range t.len() {
			e := t.entry(k)
			name := string(e.name)
			switch e.mode {
			case modeDir:
				kid := &pnode{kids: map[string]*pnode{}}
				if err := fill(kid, e.hash, path.Join(dir, name)); err != nil {
					return err
				}
				n.kids[name] = kid
			case modeFile, modeExec, modeSymlink:
				n.kids[name] = &pnode{lo: len(files), hi: len(files) + 1, file: true}
				files = append(files, path.Join(dir, name))
			}
		}
		n.hi = len(files)
		return nil
	}
	if err := fill(n, h, prefix); err != nil {
		return nil, nil, err
	}
	// The directories on the way down to prefix hold every file.
	top.lo, top.hi = 0, len(files)
	if prefix != "" {
		n := top
		for _, part := range strings.Split(prefix, "/") {
			n = n.kids[part]
			n.lo, n.hi = 0, len(files)
		}
	}
	return top, files, nil
}

// wcommit is a commit as the walk sees it.
type wcommit struct {
	hash    plumbing.Hash
	tree    plumbing.Hash
	parents []plumbing.Hash
	date    int64 // committer date, the key of git's queue
	obj     *object.Commit
	info    *Commit   // set once the commit is shown for some file
	seen    bitset    // paths ever pushed here: git's SEEN flag, per path
	queued  []*qentry // entries waiting in the queue, oldest first
}

// qentry is one push of paths to a commit.
//
// git's walk for a single file queues a commit when its first child in that
// walk pushes it, and breaks committer-date ties by that moment. If each
// push stays its own entry, each file's pops in our shared walk happen in
// exactly the order of git's walk for that file alone, ties and clock skew
// included: pops for other files never push this file's paths, so they
// cannot reorder its entries.
//
// Kept apart, though, the entries that meet at a fork point would travel
// separately all the way to the root commit, one stream per merge in
// history (100x the work on the benchmark). So when an entry is popped, the
// commit's later entries are folded into it unless the queue holds another
// commit with the same date: only such a commit could pop between them,
// and without one, processing them now or later gives each file the same
// order.
type qentry struct {
	c     *wcommit
	paths bitset
	seq   int
	dead  bool // folded into an earlier entry
}

type walk struct {
	r          *Repo
	root       *pnode
	files      []string
	words      int
	commits    map[plumbing.Hash]*wcommit
	shallow    map[plumbing.Hash]bool
	graph      commitgraph.Index // nil without a commit-graph
	queue      commitQueue
	perDate    map[int64]int // live queue entries per committer date
	seq        int
	free       []bitset
	shown      [][]*Commit
	incomplete bool
}

func (w *walk) run(start plumbing.Hash) error {
	all := w.newSet()
	for i := range w.files {
		all.set(i)
	}
	if all.empty() {
		return nil
	}
	c, err := w.commit(start)
	if err != nil {
		return err
	}
	w.perDate = map[int64]int{}
	w.push(c, all)
	for w.queue.Len() > 0 {
		e := heap.Pop(&w.queue).(*qentry)
		if e.dead {
			continue
		}
		c := e.c
		c.queued = c.queued[1:] // e is its oldest entry: same date, lowest seq
		w.perDate[c.date]--
		if w.perDate[c.date] == len(c.queued) {
			for _, later := range c.queued {
				e.paths.or(later.paths)
				later.dead = true
				w.release(later.paths)
			}
			w.perDate[c.date] -= len(c.queued)
			c.queued = nil
		}
		if w.perDate[c.date] == 0 {
			delete(w.perDate, c.date)
		}
		if err := w.process(c, e.paths); err != nil {
			return err
		}
		w.release(e.paths)
	}
	return nil
}

// process applies git's simplification to paths pushed to c.
func (w *walk) process(c *wcommit, paths bitset) error {
	parents := c.parents
	if w.shallow[c.hash] {
		// git grafts the boundary into a root commit, and so do we.
		parents = nil
		w.incomplete = true
	}
	shown := w.newSet()
	defer w.release(shown)
	var pushes []bitset
	switch len(parents) {
	case 0:
		if err := w.diff(w.root, c.tree, plumbing.ZeroHash, paths, shown); err != nil {
			return err
		}
	case 1:
		p, err := w.commit(parents[0])
		if err != nil {
			return err
		}
		if err := w.diff(w.root, c.tree, p.tree, paths, shown); err != nil {
			return err
		}
		w.push(p, paths)
	default:
		// Each path follows the first parent it is identical to; paths
		// that differ from every parent make the merge shown and follow
		// all of them.
		pushes = make([]bitset, len(parents))
		remaining := paths
		for i, ph := range parents {
			p, err := w.commit(ph)
			if err != nil {
				return err
			}
			differ := w.newSet()
			if err := w.diff(w.root, c.tree, p.tree, remaining, differ); err != nil {
				return err
			}
			pushes[i] = w.newSet()
			pushes[i].orAndNot(remaining, differ)
			if i > 0 {
				w.release(remaining)
			}
			remaining = differ
			if remaining.empty() {
				break
			}
		}
		shown.or(remaining)
		w.release(remaining) // always a differ set by now, never paths
		// git pushes parents in order, which decides ties between them.
		for i, ph := range parents {
			if pushes[i] == nil {
				pushes[i] = w.newSet()
			}
			pushes[i].or(shown)
			p, err := w.commit(ph)
			if err != nil {
				return err
			}
			w.push(p, pushes[i])
			w.release(pushes[i])
		}
	}
	if shown.empty() {
		return nil
	}
	if c.info == nil {
		if c.obj == nil { // read from the commit-graph: decode it now that it is shown
			oc, err := w.decodeCommit(c.hash)
			if err != nil {
				return err
			}
			c.obj = oc
		}
		info := toCommit(c.obj)
		c.info, c.obj = &info, nil
	}
	shown.each(func(i int) { w.shown[i] = append(w.shown[i], c.info) })
	return nil
}

// push queues the paths not yet seen at p. Paths already seen arrived along
// another branch (or, with clock skew, after the walk passed p); git's walk
// for those files has queued p already.
func (w *walk) push(p *wcommit, paths bitset) {
	if p.seen == nil {
		p.seen = make(bitset, w.words)
	}
	fresh := w.newSet()
	if !fresh.orAndNot(paths, p.seen) {
		w.release(fresh)
		return
	}
	p.seen.or(fresh)
	w.seq++
	e := &qentry{c: p, paths: fresh, seq: w.seq}
	p.queued = append(p.queued, e)
	w.perDate[p.date]++
	heap.Push(&w.queue, e)
}

// commit loads the parts of a commit the walk needs, once.
func (w *walk) commit(h plumbing.Hash) (*wcommit, error) {
	if c, ok := w.commits[h]; ok {
		return c, nil
	}
	if w.graph != nil {
		if i, err := w.graph.GetIndexByHash(h); err == nil {
			if d, err := w.graph.GetCommitDataByIndex(i); err == nil {
				c := &wcommit{hash: h, tree: d.TreeHash, parents: d.ParentHashes, date: d.When.Unix()}
				w.commits[h] = c
				return c, nil
			}
		}
	}
	oc, err := w.decodeCommit(h)
	if err != nil {
		return nil, err
	}
	c := &wcommit{
		hash:    h,
		tree:    oc.TreeHash,
		parents: oc.ParentHashes,
		date:    oc.Committer.When.Unix(),
		obj:     oc,
	}
	w.commits[h] = c
	return c, nil
}

func (w *walk) decodeCommit(h plumbing.Hash) (*object.Commit, error) {
	data, err := w.r.object(h, plumbing.CommitObject)
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", h, err)
	}
	oc, err := object.DecodeCommit(w.r.st, &rawObject{hash: h, typ: plumbing.CommitObject, data: data})
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", h, err)
	}
	return oc, nil
}

// diff marks in out the paths of set, below n, whose entries differ between
// trees a and b (zero hash: absent). Only subtrees whose hashes differ are
// read, which is what makes one walk for thousands of files affordable;
// object.DiffTree here was measured 11x slower.
func (w *walk) diff(n *pnode, a, b plumbing.Hash, set, out bitset) error {
	if a == b {
		return nil
	}
	ta, err := w.r.tree(a)
	if err != nil {
		return err
	}
	tb, err := w.r.tree(b)
	if err != nil {
		return err
	}
	visit := func(name []byte, ea, eb entry, okA, okB bool) error {
		kid := n.kids[string(name)]
		if kid == nil || !set.anyIn(kid.lo, kid.hi) {
			return nil
		}
		if okA && okB && ea.mode == eb.mode && ea.hash == eb.hash {
			return nil
		}
		if kid.file {
			// Compare whole entries whatever their type: a path that
			// was a directory in an older commit differs exactly when
			// git's pathspec would see a change.
			out.set(kid.lo)
			return nil
		}
		var ha, hb plumbing.Hash
		if okA && ea.isDir() {
			ha = ea.hash
		}
		if okB && eb.isDir() {
			hb = eb.hash
		}
		return w.diff(kid, ha, hb, set, out)
	}
	// Merge the two sorted entry lists, between the entries both trees
	// share at their ends. A name can appear twice when it is a file on
	// one side and a directory on the other; the file sorts first, so
	// handle the pair there and skip the directory later.
	i, hiA, hiB := sameEnds(ta, tb)
	j := i
	for i < hiA || j < hiB {
		var c int
		switch {
		case i == hiA:
			c = 1
		case j == hiB:
			c = -1
		default:
			c = gitCompare(ta.name(i), ta.mode[i] == modeDir, tb.name(j), tb.mode[j] == modeDir)
		}
		switch {
		case c == 0:
			ea, eb := ta.entry(i), tb.entry(j)
			if ea.mode != eb.mode || ea.hash != eb.hash {
				if err := visit(ea.name, ea, eb, true, true); err != nil {
					return err
				}
			}
			i++
			j++
		case c < 0:
			ea := ta.entry(i)
			i++
			eb, okB := tb.find(ea.name)
			if ea.isDir() && okB && !eb.isDir() {
				continue
			}
			if err := visit(ea.name, ea, eb, true, okB); err != nil {
				return err
			}
		default:
			eb := tb.entry(j)
			j++
			ea, okA := ta.find(eb.name)
			if eb.isDir() && okA && !ea.isDir() {
				continue
			}
			if err := visit(eb.name, ea, eb, okA, true); err != nil {
				return err
			}
		}
	}
	return nil
}

// commitQueue is git's revision queue: latest committer date first, ties
// in insertion order.
type commitQueue []*qentry

func (q commitQueue) Len() int { return len(q) }
func (q commitQueue) Less(i, j int) bool {
	if q[i].c.date != q[j].c.date {
		return q[i].c.date > q[j].c.date
	}
	return q[i].seq < q[j].seq
}
func (q commitQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *commitQueue) Push(x any)   { *q = append(*q, x.(*qentry)) }
func (q *commitQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	old[len(old)-1] = nil
	*q = old[:len(old)-1]
	return e
}

// bitset is a set of file indices.
type bitset []uint64

// newSet returns an empty set, reusing released ones: the walk makes and
// drops several sets per commit.
func (w *walk) newSet() bitset {
	if n := len(w.free); n > 0 {
		b := w.free[n-1]
		w.free = w.free[:n-1]
		clear(b)
		return b
	}
	return make(bitset, w.words)
}

func (w *walk) release(b bitset) { w.free = append(w.free, b) }

func (b bitset) set(i int) { b[i>>6] |= 1 << (uint(i) & 63) }

func (b bitset) empty() bool {
	for _, x := range b {
		if x != 0 {
			return false
		}
	}
	return true
}

func (b bitset) or(o bitset) {
	for i := range b {
		b[i] |= o[i]
	}
}

func (b bitset) andNot(o bitset) {
	for i := range b {
		b[i] &^= o[i]
	}
}

// orAndNot adds the members of a missing from not, reporting whether any
// member was new to b.
func (b bitset) orAndNot(a, not bitset) bool {
	changed := false
	for i := range b {
		x := a[i]
		if not != nil {
			x &^= not[i]
		}
		if x&^b[i] != 0 {
			changed = true
			b[i] |= x
		}
	}
	return changed
}

// anyIn reports whether any index in [lo, hi) is a member.
func (b bitset) anyIn(lo, hi int) bool {
	if lo >= hi {
		return false
	}
	first, last := lo>>6, (hi-1)>>6
	for i := first; i <= last; i++ {
		x := b[i]
		if i == first {
			x &= ^uint64(0) << (uint(lo) & 63)
		}
		if i == last {
			x &= ^uint64(0) >> (63 - (uint(hi-1) & 63))
		}
		if x != 0 {
			return true
		}
	}
	return false
}

func (b bitset) each(f func(int)) {
	for i, x := range b {
		for x != 0 {
			t := bits.TrailingZeros64(x)
			f(i<<6 + t)
			x &= x - 1
		}
	}
}
