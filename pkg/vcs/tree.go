package vcs

import (
	"bytes"
	"cmp"
	"fmt"
	"sort"

	"github.com/go-git/go-git/v5/plumbing"
)

// Git file modes as stored in tree objects, after canonicalisation.
const (
	modeDir     = 0o040000
	modeFile    = 0o100644
	modeExec    = 0o100755
	modeSymlink = 0o120000
	modeGitlink = 0o160000
)

// entry is one tree entry. The name aliases the raw object bytes so that
// parsing a tree costs one allocation, not one per entry.
type entry struct {
	name []byte
	mode uint32
	hash plumbing.Hash
}

func (e entry) isDir() bool { return e.mode == modeDir }

// rawTree is a parsed tree object. Entries keep git's order, in which a
// directory sorts as if its name ended in "/".
type rawTree struct {
	entries []entry
}

var emptyTree = &rawTree{}

// treeCache keeps parsed trees: during a walk each tree is read once as a
// commit's own tree and again as its child's parent tree. It is emptied
// when full rather than evicting one by one, which is cheap and good enough
// because the walk moves steadily backwards through history.
type treeCache struct {
	m     map[plumbing.Hash]*rawTree
	bytes int
}

const treeCacheMax = 64 << 20

func newTreeCache() *treeCache {
	return &treeCache{m: make(map[plumbing.Hash]*rawTree)}
}

// tree returns the parsed tree h; the zero hash stands for an empty tree,
// which is how the walk represents a directory absent from a commit.
// Callers must hold r.mu.
func (r *Repo) tree(h plumbing.Hash) (*rawTree, error) {
	if h.IsZero() {
		return emptyTree, nil
	}
	if t, ok := r.trees.m[h]; ok {
		return t, nil
	}
	data, err := r.object(h, plumbing.TreeObject)
	if err != nil {
		return nil, fmt.Errorf("read tree %s: %w", h, err)
	}
	t, err := parseTree(data)
	if err != nil {
		return nil, fmt.Errorf("read tree %s: %w", h, err)
	}
	if r.trees.bytes+len(data) > treeCacheMax {
		clear(r.trees.m)
		r.trees.bytes = 0
	}
	r.trees.m[h] = t
	r.trees.bytes += len(data) + len(t.entries)*48
	return t, nil
}

// parseTree decodes "<octal mode> <name>\x00<hash>" records. go-git's own
// decoder allocates per entry through a buffered reader, which dominated
// history walks.
func parseTree(data []byte) (*rawTree, error) {
	hashLen := len(plumbing.ZeroHash)
	t := &rawTree{entries: make([]entry, 0, bytes.Count(data, []byte{0}))}
	for len(data) > 0 {
		sp := bytes.IndexByte(data, ' ')
		if sp <= 0 {
			return nil, fmt.Errorf("malformed tree entry")
		}
		var mode uint32
		for _, c := range data[:sp] {
			if c < '0' || c > '7' {
				return nil, fmt.Errorf("malformed tree entry mode %q", data[:sp])
			}
			mode = mode<<3 | uint32(c-'0')
		}
		data = data[sp+1:]
		nul := bytes.IndexByte(data, 0)
		if nul <= 0 || len(data) < nul+1+hashLen {
			return nil, fmt.Errorf("malformed tree entry")
		}
		e := entry{name: data[:nul:nul], mode: canonMode(mode)}
		copy(e.hash[:], data[nul+1:nul+1+hashLen])
		t.entries = append(t.entries, e)
		data = data[nul+1+hashLen:]
	}
	return t, nil
}

// canonMode maps the modes old tools wrote (such as 100664) to the few git
// compares by, as git's canon_mode does; otherwise a file would look changed
// where git sees no change.
func canonMode(m uint32) uint32 {
	switch m & 0o170000 {
	case 0o100000:
		if m&0o100 != 0 {
			return modeExec
		}
		return modeFile
	case 0o120000:
		return modeSymlink
	case 0o040000:
		return modeDir
	default:
		return modeGitlink
	}
}

// gitCompare orders names as git sorts tree entries: a directory compares as
// if its name ended in "/".
func gitCompare(a []byte, aDir bool, b []byte, bDir bool) int {
	n := min(len(a), len(b))
	if c := bytes.Compare(a[:n], b[:n]); c != 0 {
		return c
	}
	var ca, cb byte
	if len(a) > n {
		ca = a[n]
	} else if aDir {
		ca = '/'
	}
	if len(b) > n {
		cb = b[n]
	} else if bDir {
		cb = '/'
	}
	return cmp.Compare(ca, cb)
}

// find returns the entry called name, whatever its type.
func (t *rawTree) find(name []byte) (entry, bool) {
	for _, dir := range [2]bool{false, true} {
		i := sort.Search(len(t.entries), func(i int) bool {
			e := t.entries[i]
			return gitCompare(e.name, e.isDir(), name, dir) >= 0
		})
		if i < len(t.entries) && bytes.Equal(t.entries[i].name, name) {
			return t.entries[i], true
		}
	}
	return entry{}, false
}
