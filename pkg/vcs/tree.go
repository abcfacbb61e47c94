package vcs

import (
	"bytes"
	"cmp"
	"fmt"
	"math"
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

// entry is one tree entry. The name aliases the raw object bytes.
type entry struct {
	name []byte
	mode uint32
	hash plumbing.Hash
}

func (e entry) isDir() bool { return e.mode == modeDir }

// rawTree is a parsed tree object: its bytes and where each entry starts.
// Entries keep git's order, in which a directory sorts as if its name
// ended in "/". They are decoded when used: a history walk compares
// thousands of versions of large directories that differ in one entry,
// and building every entry of each (48 bytes, and a copy of its hash) was
// a fifth of the walk.
type rawTree struct {
	data  []byte
	start []uint32 // where each entry begins, then len(data)
	mode  []uint32 // each entry's mode, canonical
}

var emptyTree = &rawTree{start: []uint32{0}}

func (t *rawTree) len() int { return len(t.mode) }

// entry decodes entry i, whose shape parseTree checked.
func (t *rawTree) entry(i int) entry {
	rec := t.data[t.start[i]:t.start[i+1]]
	hashAt := len(rec) - len(plumbing.ZeroHash)
	e := entry{name: t.name(i), mode: t.mode[i]}
	copy(e.hash[:], rec[hashAt:])
	return e
}

// name returns entry i's name: after the mode and a space, before a NUL
// and the hash.
func (t *rawTree) name(i int) []byte {
	rec := t.data[t.start[i]:t.start[i+1]]
	end := len(rec) - len(plumbing.ZeroHash) - 1
	return rec[bytes.IndexByte(rec, ' ')+1 : end : end]
}

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
	r.trees.bytes += len(data) + len(t.start)*8
	return t, nil
}

// parseTree finds the "<octal mode> <name>\x00<hash>" records of a tree
// and checks their shape. go-git's own decoder allocates per entry through
// a buffered reader, which dominated history walks.
func parseTree(data []byte) (*rawTree, error) {
	if len(data) > math.MaxUint32 {
		return nil, fmt.Errorf("tree of %d bytes", len(data))
	}
	hashLen := len(plumbing.ZeroHash)
	n := bytes.Count(data, []byte{0}) // at least the entries: hashes hold NULs too
	buf := make([]uint32, 2*n+1)
	t := &rawTree{data: data, start: buf[: 0 : n+1], mode: buf[n+1 : n+1 : 2*n+1]}
	for pos := 0; pos < len(data); {
		rec := data[pos:]
		sp := bytes.IndexByte(rec, ' ')
		if sp <= 0 {
			return nil, fmt.Errorf("malformed tree entry")
		}
		var mode uint32
		for _, c := range rec[:sp] {
			if c < '0' || c > '7' || mode > 0o7777777 {
				return nil, fmt.Errorf("malformed tree entry mode %q", rec[:sp])
			}
			mode = mode<<3 | uint32(c-'0')
		}
		nul := bytes.IndexByte(rec[sp+1:], 0)
		if nul <= 0 || len(rec) < sp+1+nul+1+hashLen {
			return nil, fmt.Errorf("malformed tree entry")
		}
		t.start = append(t.start, uint32(pos))
		t.mode = append(t.mode, canonMode(mode))
		pos += sp + 1 + nul + 1 + hashLen
	}
	t.start = append(t.start, uint32(len(data)))
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
		i := sort.Search(t.len(), func(i int) bool {
			return gitCompare(t.name(i), t.mode[i] == modeDir, name, dir) >= 0
		})
		if i < t.len() && bytes.Equal(t.name(i), name) {
			return t.entry(i), true
		}
	}
	return entry{}, false
}

// sameEnds returns the entries that trees a and b share byte for byte at
// both ends: a[:lo] and b[:lo] are the same, and so are a[hiA:] and
// b[hiB:]. Most commits change one entry of a directory, and comparing
// bytes is far cheaper than comparing entries one by one.
func sameEnds(a, b *rawTree) (lo, hiA, hiB int) {
	p := commonPrefix(a.data, b.data)
	// Entries wholly inside the common bytes; b parses them the same.
	lo = sort.Search(a.len(), func(k int) bool { return int(a.start[k+1]) > p })
	restA, restB := a.data[a.start[lo]:], b.data[b.start[lo]:]
	s := commonSuffix(restA, restB)
	hiA = sort.Search(a.len(), func(k int) bool { return int(a.start[k]) >= len(a.data)-s })
	hiB = sort.Search(b.len(), func(k int) bool { return int(b.start[k]) >= len(b.data)-s })
	// The suffixes hold the same entries only if their first entries
	// start at the same distance from the end; from there on the same
	// bytes parse the same. Otherwise compare everything after lo.
	if len(a.data)-int(a.start[hiA]) != len(b.data)-int(b.start[hiB]) {
		return lo, a.len(), b.len()
	}
	return lo, hiA, hiB
}

// commonPrefix returns how many leading bytes a and b share. bytes.Equal
// compares many bytes per instruction, so halving the range with it beats
// a loop over bytes.
func commonPrefix(a, b []byte) int {
	n := min(len(a), len(b))
	a, b = a[:n], b[:n]
	if bytes.Equal(a, b) {
		return n
	}
	lo, hi := 0, n // a[:lo] == b[:lo]; a[:hi] != b[:hi]
	for hi-lo > 64 {
		mid := lo + (hi-lo)/2
		if bytes.Equal(a[lo:mid], b[lo:mid]) {
			lo = mid
		} else {
			hi = mid
		}
	}
	for lo < hi && a[lo] == b[lo] {
		lo++
	}
	return lo
}

// commonSuffix returns how many trailing bytes a and b share.
func commonSuffix(a, b []byte) int {
	n := min(len(a), len(b))
	a, b = a[len(a)-n:], b[len(b)-n:]
	if bytes.Equal(a, b) {
		return n
	}
	lo, hi := 0, n // the last lo bytes are equal, the last hi are not
	for hi-lo > 64 {
		mid := lo + (hi-lo)/2
		if bytes.Equal(a[n-mid:n-lo], b[n-mid:n-lo]) {
			lo = mid
		} else {
			hi = mid
		}
	}
	for lo < hi && a[n-1-lo] == b[n-1-lo] {
		lo++
	}
	return lo
}
