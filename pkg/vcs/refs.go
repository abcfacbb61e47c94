package vcs

import (
	"slices"

	"github.com/go-git/go-git/v5/plumbing"
)

// Refs lists the short names of the repository's branches, remote branches
// and tags, sorted, for completing --rev.
func (r *Repo) Refs() ([]string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	it, err := r.repo.References()
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var names []string
	err = it.ForEach(func(ref *plumbing.Reference) error {
		n := ref.Name()
		if n.IsBranch() || n.IsRemote() || n.IsTag() {
			names = append(names, n.Short())
		}
		return nil
	})
	slices.Sort(names)
	return slices.Compact(names), err
}
