package workspace

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aims-dev/aims/pkg/cache"
	"github.com/aims-dev/aims/pkg/load"
	"github.com/aims-dev/aims/pkg/vcs"
)

// Source says where an AIMS was read from: the working tree or a commit,
// and what git knows about it.
type Source struct {
	Versioned bool       // inside a git repository
	Rev       string     // the revision asked for; "" means the working tree
	Commit    vcs.Commit // the revision read, or HEAD for the working tree
	Shallow   bool       // a shallow clone: history is incomplete
	Prefix    string     // the AIMS root inside the repository ("" = repository root)

	repo  *vcs.Repo
	cache *cache.Store // keeps History's walk by commit (nil: none)
	res   *Resident    // keeps it in memory between runs (nil: none)
	once  sync.Once
	ran   atomic.Bool // History has run; err is final
	prov  vcs.Provenance
	err   error

	dirtyOnce sync.Once
	dirty     bool
	dirtyErr  error
}

// Dirty reports whether the working tree has uncommitted changes under the
// AIMS root (never for a revision). It is computed on first use: a worktree
// status costs time on a large repository, and check does not need it.
func (s *Source) Dirty() (bool, error) {
	if s == nil || !s.Versioned || s.Rev != "" {
		return false, nil
	}
	s.dirtyOnce.Do(func() { s.dirty, s.dirtyErr = s.repo.Dirty(s.Prefix) })
	return s.dirty, s.dirtyErr
}

// Label names where the AIMS was read from, for titles and covers:
// "v1 (3f2a9c1, 2026-01-20)", "working tree (uncommitted changes)".
func (s *Source) Label() string {
	dirty, _ := s.Dirty() // unknown dirtiness is not worth failing over
	switch {
	case s == nil || !s.Versioned:
		return "working tree (not in git)"
	case s.Rev != "":
		return fmt.Sprintf("%s (%s, %s)", s.Rev, s.Commit.Short(), s.Commit.Committed.Format("2006-01-02"))
	case dirty:
		return "working tree (uncommitted changes)"
	}
	return fmt.Sprintf("working tree (%s)", s.Commit.Short())
}

// History returns the git history of every file under the AIMS root, keyed
// like document paths, from one walk of history done on first use (evidence
// dates and document control need it; most runs do not).
func (s *Source) History() (vcs.Provenance, error) {
	if s == nil || !s.Versioned {
		return vcs.Provenance{}, nil
	}
	s.once.Do(func() {
		rev := s.Rev
		if rev == "" {
			rev = "HEAD"
		}
		if s.Commit.Hash == "" {
			return // a repository without commits: no history yet
		}
		if p, ok := s.res.history(s.Commit.Hash, s.Prefix); ok {
			s.prov = p
			return
		}
		defer func() {
			if s.err == nil {
				s.res.keepHistory(s.Commit.Hash, s.Prefix, s.prov)
			}
		}()
		if s.cache == nil {
			s.prov, s.err = s.repo.Provenance(rev, s.Prefix)
			return
		}
		p, k, ok := cachedProvenance(s.cache, s.repo, s.Commit.Hash, s.Prefix)
		if ok {
			s.prov = p
			return
		}
		s.prov, s.err = s.repo.Provenance(rev, s.Prefix)
		if s.err == nil && k != (cache.Key{}) {
			if b, ok := encodeProvenance(s.prov); ok {
				s.cache.Put(k, b)
			}
		}
	})
	s.ran.Store(true)
	return s.prov, s.err
}

// historyErr is History's error if it has run: LastChanged can only say
// "unknown", which would read as undated evidence.
func (s *Source) historyErr() error {
	if s == nil || !s.ran.Load() {
		return nil
	}
	if s.err != nil {
		return fmt.Errorf("read git history: %w", s.err)
	}
	return nil
}

// LastChanged is the author date of the last commit that changed file (a
// path relative to the AIMS root).
func (s *Source) LastChanged(file string) (time.Time, bool) {
	p, err := s.History()
	if err != nil {
		return time.Time{}, false
	}
	c, ok := p.Files[file].Last()
	return c.When, ok
}

// Close releases the repository.
func (s *Source) Close() error {
	if s == nil || s.repo == nil {
		return nil
	}
	return s.repo.Close()
}

// ErrNoRepo means --rev was asked for outside a git repository.
var ErrNoRepo = errors.New("not a git repository")

// OpenAt loads the AIMS found from dir: from the working tree when rev is
// "", else from that revision's tree, without touching the working tree or
// the index. Outside a git repository the working tree still loads, with
// Source.Versioned false.
func OpenAt(dir, rev string, opts ...Option) (*Workspace, error) {
	repo, err := vcs.Open(dir)
	if err != nil && !errors.Is(err, vcs.ErrNotRepo) {
		return nil, err
	}
	if repo == nil {
		if rev != "" {
			return nil, fmt.Errorf("--rev %s: %w (no .git in %s or any parent folder)", rev, ErrNoRepo, dir)
		}
		root, err := Locate(dir)
		if err != nil {
			return nil, err
		}
		w, err := OpenDir(root, opts...)
		if err != nil {
			return nil, err
		}
		w.Source = &Source{}
		return w, nil
	}
	src := &Source{Versioned: true, Rev: rev, repo: repo}
	opts = append(opts, versioned)
	if src.Shallow, err = repo.Shallow(); err != nil {
		repo.Close()
		return nil, err
	}

	if rev == "" {
		root, err := Locate(dir)
		if err != nil {
			repo.Close()
			return nil, err
		}
		src.Prefix, err = relSlash(repo.Root(), root)
		if err != nil {
			repo.Close()
			return nil, err
		}
		if c, err := repo.Resolve("HEAD"); err == nil {
			src.Commit = c // an empty repository has no HEAD commit yet
		}
		w, err := OpenDir(root, opts...)
		if err != nil {
			repo.Close()
			return nil, err
		}
		src.cache, src.res = w.cache, w.res
		w.Source = src
		return w, nil
	}

	tree, commit, err := repo.FS(rev)
	if err != nil {
		repo.Close()
		return nil, err
	}
	src.Commit = commit
	// The AIMS root at that revision: the folder with aims.yaml nearest to
	// where the user is, inside the repository, as it was then.
	start, err := relSlash(repo.Root(), dir)
	if err != nil {
		repo.Close()
		return nil, err
	}
	prefix, ok, err := findRootIn(tree, start)
	if err != nil {
		repo.Close()
		return nil, fmt.Errorf("--rev %s: %w", rev, err)
	}
	if !ok {
		// As Locate: started above the AIMS, the only one below.
		if below := findBelowIn(tree, start); len(below) == 1 {
			prefix, ok = below[0], true
		}
	}
	if !ok {
		repo.Close()
		return nil, fmt.Errorf("%w: no %s in %s or any parent folder at %s (%s)", ErrNoRoot, load.ManifestFile, cmp.Or(start, "the repository root"), rev, commit.Short())
	}
	src.Prefix = prefix
	sub := tree
	if prefix != "" {
		if sub, err = fs.Sub(tree, prefix); err != nil {
			repo.Close()
			return nil, err
		}
	}
	w, err := Open(sub, opts...)
	if err != nil {
		repo.Close()
		return nil, err
	}
	w.Root = filepath.Join(repo.Root(), filepath.FromSlash(prefix))
	src.cache = w.cache
	w.Source = src
	return w, nil
}

// findRootIn finds the AIMS root in a revision's tree. A tree that cannot
// be read is an error, not "no aims.yaml".
func findRootIn(fsys fs.FS, start string) (string, bool, error) {
	for p := start; ; p = path.Dir(p) {
		if p == "." || p == "/" {
			p = ""
		}
		name := load.ManifestFile
		if p != "" {
			name = p + "/" + name
		}
		st, err := fs.Stat(fsys, name)
		if err == nil && st.Mode().IsRegular() {
			return p, true, nil
		}
		if err != nil && !load.FileProblem(err) {
			return "", false, err
		}
		if p == "" {
			return "", false, nil
		}
	}
}

func relSlash(base, target string) (string, error) {
	abs, err := filepath.Abs(target)
	if err != nil {
		return "", err
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		abs = r
	}
	if r, err := filepath.EvalSymlinks(base); err == nil {
		base = r
	}
	rel, err := filepath.Rel(base, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return "", fmt.Errorf("%s is outside the repository at %s", target, base)
	}
	rel = filepath.ToSlash(rel)
	if rel == "." {
		rel = ""
	}
	return rel, nil
}

func parseDay(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
