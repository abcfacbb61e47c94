package workspace

import (
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/aims-dev/aims/pkg/cache"
	"github.com/aims-dev/aims/pkg/vcs"
)

// A walk of history is kept in the cache under the commit it started from
// (with the AIMS's folder in the repository and a shallow clone's
// boundary): a commit's history never changes, so a run at the same commit
// (a pre-commit hook run again after a fix, a report after a check) reads
// it instead of walking thousands of commits again, and a run a few
// commits later extends it (the next commit's pre-commit run). The walk
// was three quarters of a warm pre-commit run in a repository of 5,000
// commits.

// provenanceKeys gives the cache key of the walk from a commit (a full
// hash), or false when the repository's shallow boundary cannot be read.
func provenanceKeys(repo *vcs.Repo, prefix string) (func(commit string) cache.Key, bool) {
	boundary, err := repo.Boundary()
	if err != nil {
		return nil, false
	}
	b := []byte(strings.Join(boundary, " "))
	return func(commit string) cache.Key {
		return cache.NewKey([]byte("provenance 1"), cache.Salt(), []byte(commit), []byte(prefix), b)
	}, true
}

// maxExtend is how many commits back a kept walk is looked for: a walk
// extended by a commit reads two trees instead of the whole history.
const maxExtend = 64

// cachedProvenance is the walk from commit taken from the cache: kept for
// the commit itself, or for an ancestor up to maxExtend commits back along
// first parents and extended from there (see vcs.Repo.Extend); the walk is
// then kept for commit too. False when neither is there.
func cachedProvenance(store *cache.Store, repo *vcs.Repo, commit, prefix string) (vcs.Provenance, cache.Key, bool) {
	keyOf, ok := provenanceKeys(repo, prefix)
	if !ok {
		return vcs.Provenance{}, cache.Key{}, false
	}
	key := keyOf(commit)
	if b, ok := store.Get(key); ok {
		if p, ok := decodeProvenance(b); ok {
			return p, key, true
		}
	}
	var base vcs.Provenance
	kept := func(ancestor string) bool {
		b, ok := store.Get(keyOf(ancestor))
		if ok {
			base, ok = decodeProvenance(b)
		}
		return ok
	}
	chain, err := repo.Chain(commit, maxExtend, kept)
	if err != nil || len(chain) < 2 || !kept(chain[len(chain)-1]) {
		return vcs.Provenance{}, key, false
	}
	p, ok, err := repo.Extend(base, prefix, chain)
	if err != nil || !ok {
		return vcs.Provenance{}, key, false
	}
	if b, ok := encodeProvenance(p); ok {
		store.Put(key, b)
	}
	return p, key, true
}

// encodeProvenance writes p: each commit once, then each file's history
// as indexes into them, files in path order. False when a date is in a
// time zone the encoding cannot give back exactly.
func encodeProvenance(p vcs.Provenance) ([]byte, bool) {
	e := &cache.Encoder{}
	e.Bool(p.Incomplete)
	index := map[string]int{}
	var commits []vcs.Commit
	paths := slices.Sorted(maps.Keys(p.Files))
	for _, f := range paths {
		for _, c := range p.Files[f].Commits {
			if _, ok := index[c.Hash]; !ok {
				index[c.Hash] = len(commits)
				commits = append(commits, c)
			}
		}
	}
	e.Uint(uint64(len(commits)))
	for _, c := range commits {
		e.String(c.Hash)
		e.String(c.Author)
		e.String(c.Email)
		if !encodeTime(e, c.When) || !encodeTime(e, c.Committed) {
			return nil, false
		}
		e.String(c.Subject)
	}
	e.Uint(uint64(len(paths)))
	for _, f := range paths {
		e.String(f)
		h := p.Files[f].Commits
		e.Uint(uint64(len(h)))
		for _, c := range h {
			e.Uint(uint64(index[c.Hash]))
		}
	}
	return e.B, true
}

// decodeProvenance reads what encodeProvenance wrote, or reports false
// for bytes it cannot have written.
func decodeProvenance(b []byte) (vcs.Provenance, bool) {
	d := cache.NewDecoder(b)
	p := vcs.Provenance{Incomplete: d.Bool()}
	n := d.Small()
	commits := make([]vcs.Commit, 0, n)
	for range n {
		c := vcs.Commit{Hash: d.String(), Author: d.String(), Email: d.String()}
		var ok1, ok2 bool
		c.When, ok1 = decodeTime(d)
		c.Committed, ok2 = decodeTime(d)
		c.Subject = d.String()
		if !ok1 || !ok2 || d.Err() != nil {
			return vcs.Provenance{}, false
		}
		commits = append(commits, c)
	}
	files := d.Small()
	p.Files = make(map[string]vcs.History, files)
	for range files {
		f := d.String()
		k := d.Small()
		h := vcs.History{Commits: make([]vcs.Commit, 0, k)}
		for range k {
			i := d.Uint() // an index, not a count: Small would bound it by the bytes left
			if i >= uint64(len(commits)) || d.Err() != nil {
				return vcs.Provenance{}, false
			}
			h.Commits = append(h.Commits, commits[i])
		}
		p.Files[f] = h
	}
	if d.Done() != nil {
		return vcs.Provenance{}, false
	}
	return p, true
}

// Commit dates are read from git as a second and an offset from UTC, in a
// zone with no name (or in UTC itself when the offset is missing), and
// are given back in the same.
const (
	timeUTC   = 1 // in time.UTC
	timeFixed = 2 // in a zone with no name at an offset
)

func encodeTime(e *cache.Encoder, t time.Time) bool {
	name, offset := t.Zone()
	switch {
	case t.Location() == time.UTC:
		e.Uint(timeUTC)
	case name == "":
		e.Uint(timeFixed)
		e.Int(int64(offset))
	default:
		return false
	}
	e.Int(t.Unix())
	e.Int(int64(t.Nanosecond()))
	return true
}

func decodeTime(d *cache.Decoder) (time.Time, bool) {
	switch d.Uint() {
	case timeUTC:
		sec, nsec := d.Int(), d.Int()
		return time.Unix(sec, nsec).UTC(), d.Err() == nil
	case timeFixed:
		offset := d.Int()
		sec, nsec := d.Int(), d.Int()
		return time.Unix(sec, nsec).In(time.FixedZone("", int(offset))), d.Err() == nil
	}
	return time.Time{}, false
}
