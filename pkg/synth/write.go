package synth

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// Write writes files below dir, which must not exist or be empty: a
// generator never overwrites anyone's files.
func Write(dir string, files Files) error {
	if ents, err := os.ReadDir(dir); err == nil && len(ents) > 0 {
		return fmt.Errorf("%s is not empty", dir)
	}
	for _, p := range files.Paths() {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(full, files[p], 0o644); err != nil {
			return err
		}
	}
	return nil
}

// History turns dir (written by Write with files) into a git repository of
// commits commits, one an hour, built with go-git: the first holds the
// example, the generated systems arrive spread over the history, and the
// other commits edit one to four existing YAML files each (a comment line,
// so the AIMS stays valid). The work tree and index end equal to HEAD. The
// history is the same for the same seed.
func History(dir string, files Files, commits int, seed uint64) error {
	if commits < 1 {
		return nil
	}
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		return err
	}
	h := &history{st: repo.Storer, root: newTreeNode()}
	if err := h.st.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, "refs/heads/main")); err != nil {
		return err
	}
	// Arrival order: the example first, then each generated system's files.
	var baseFiles []string
	groups := map[string][]string{}
	for _, p := range files.Paths() {
		if g := generatedGroup(p); g != "" {
			groups[g] = append(groups[g], p)
		} else {
			baseFiles = append(baseFiles, p)
		}
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for g := range groups {
			if !yield(g) {
				return
			}
		}
	})
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	content := map[string][]byte{}
	var editable []string
	add := func(p string) error {
		content[p] = files[p]
		if strings.HasSuffix(p, ".yaml") && !strings.HasPrefix(p, "evidence/") {
			editable = append(editable, p)
		}
		return h.set(p, files[p])
	}
	first := baseFiles
	if commits == 1 { // one commit holds everything
		first = files.Paths()
	}
	for _, p := range first {
		if err := add(p); err != nil {
			return err
		}
	}
	when := time.Date(2024, 1, 8, 9, 0, 0, 0, time.UTC)
	var parent plumbing.Hash
	next := 0 // next group to add
	for c := range commits {
		msg := "Northwind AIMS"
		if c > 0 {
			// Spread the groups evenly over commits 1..commits-1.
			due := (c * len(names)) / (commits - 1)
			switch {
			case next < due:
				msg = "Add " + names[next]
				for ; next < due; next++ {
					for _, p := range groups[names[next]] {
						if err := add(p); err != nil {
							return err
						}
					}
				}
			default:
				k := 1 + rng.IntN(4)
				var edited []string
				for range k {
					p := editable[rng.IntN(len(editable))]
					content[p] = fmt.Appendf(slices.Clip(content[p]), "# edit %d\n", c)
					if err := h.set(p, content[p]); err != nil {
						return err
					}
					edited = append(edited, path.Base(p))
				}
				msg = "Edit " + strings.Join(edited, ", ")
			}
		}
		tree, err := h.tree(h.root)
		if err != nil {
			return err
		}
		commit := object.Commit{
			Author:    object.Signature{Name: "Ada Lovelace", Email: "ada@example.com", When: when},
			Committer: object.Signature{Name: "Ada Lovelace", Email: "ada@example.com", When: when},
			Message:   msg + "\n",
			TreeHash:  tree,
		}
		if !parent.IsZero() {
			commit.ParentHashes = []plumbing.Hash{parent}
		}
		o := h.st.NewEncodedObject()
		if err := commit.Encode(o); err != nil {
			return err
		}
		if parent, err = h.st.SetEncodedObject(o); err != nil {
			return err
		}
		when = when.Add(time.Hour)
	}
	if err := h.st.SetReference(plumbing.NewHashReference("refs/heads/main", parent)); err != nil {
		return err
	}
	// The work tree: files as of HEAD (edits included), then the index.
	for p, b := range content {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(p)), b, 0o644); err != nil {
			return err
		}
	}
	wt, err := repo.Worktree()
	if err != nil {
		return err
	}
	return wt.Reset(&git.ResetOptions{Commit: parent, Mode: git.MixedReset})
}

// generatedGroup is "generated/<system>" for a generated system's files
// (documents and evidence), "" for the example's.
func generatedGroup(p string) string {
	p = strings.TrimPrefix(p, "evidence/")
	if !strings.HasPrefix(p, "generated/") {
		return ""
	}
	parts := strings.SplitN(p, "/", 3)
	if len(parts) < 3 {
		return ""
	}
	return parts[1]
}

// history writes objects straight into the store and keeps each folder's
// tree hash until something below it changes, so a commit costs what it
// changes, not the size of the AIMS.
type history struct {
	st   storer.Storer
	root *treeNode
}

type treeNode struct {
	files map[string]plumbing.Hash
	dirs  map[string]*treeNode
	hash  plumbing.Hash // zero when stale
}

func newTreeNode() *treeNode {
	return &treeNode{files: map[string]plumbing.Hash{}, dirs: map[string]*treeNode{}}
}

func (h *history) set(p string, data []byte) error {
	o := h.st.NewEncodedObject()
	o.SetType(plumbing.BlobObject)
	w, err := o.Writer()
	if err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	blob, err := h.st.SetEncodedObject(o)
	if err != nil {
		return err
	}
	n := h.root
	parts := strings.Split(p, "/")
	for _, d := range parts[:len(parts)-1] {
		n.hash = plumbing.ZeroHash
		if n.dirs[d] == nil {
			n.dirs[d] = newTreeNode()
		}
		n = n.dirs[d]
	}
	n.hash = plumbing.ZeroHash
	n.files[parts[len(parts)-1]] = blob
	return nil
}

func (h *history) tree(n *treeNode) (plumbing.Hash, error) {
	if !n.hash.IsZero() {
		return n.hash, nil
	}
	var t object.Tree
	for name, blob := range n.files {
		t.Entries = append(t.Entries, object.TreeEntry{Name: name, Mode: filemode.Regular, Hash: blob})
	}
	for name, d := range n.dirs {
		sub, err := h.tree(d)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		t.Entries = append(t.Entries, object.TreeEntry{Name: name, Mode: filemode.Dir, Hash: sub})
	}
	// Git orders a folder as if its name ended in "/".
	key := func(e object.TreeEntry) string {
		if e.Mode == filemode.Dir {
			return e.Name + "/"
		}
		return e.Name
	}
	slices.SortFunc(t.Entries, func(a, b object.TreeEntry) int { return strings.Compare(key(a), key(b)) })
	o := h.st.NewEncodedObject()
	if err := t.Encode(o); err != nil {
		return plumbing.ZeroHash, err
	}
	hash, err := h.st.SetEncodedObject(o)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	n.hash = hash
	return hash, nil
}
