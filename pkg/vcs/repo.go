package vcs

import (
	"bufio"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/osfs"
	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit"

	"github.com/aims-dev/aims/pkg/load"
)

// ErrNotRepo is returned by Open when no enclosing git repository exists.
var ErrNotRepo = errors.New("not a git repository")

// Commit is the part of a git commit that provenance reports need.
type Commit struct {
	Hash      string    // full 40-hex
	Author    string    // author name
	Email     string    // author email
	When      time.Time // author date: what `git log` shows as Date
	Committed time.Time // committer date: what git orders history by
	Subject   string    // first line of the message
}

// Short returns the abbreviated hash people paste into tickets.
func (c Commit) Short() string {
	if len(c.Hash) < 7 {
		return c.Hash
	}
	return c.Hash[:7]
}

// History is the history of one file, newest first: exactly the commits
// `git log -- <path>` lists.
type History struct {
	Commits []Commit
}

// Last returns the commit that last changed the file, as `git log -1` shows.
func (h History) Last() (Commit, bool) {
	if len(h.Commits) == 0 {
		return Commit{}, false
	}
	return h.Commits[0], true
}

// Repo is an open git repository with a work tree. Its methods are safe for
// concurrent use; they serialise access because go-git's packfile readers
// are not.
type Repo struct {
	mu      sync.Mutex
	root    string
	dot     billy.Filesystem // the git directory
	objects string           // its objects folder, absolute
	st      *filesystem.Storage
	repo    *git.Repository
	trees   *treeCache
	packs   *packs
}

// Open finds the repository containing dir by walking up the directory tree,
// as git does. The error wraps ErrNotRepo when there is none.
func Open(dir string) (*Repo, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("open repository: %w", err)
	}
	// git refuses a directory that does not exist rather than searching
	// its parents; so do we.
	if _, err := os.Stat(abs); err != nil {
		return nil, fmt.Errorf("open repository: %w", err)
	}
	root, dot, objects, err := findDotGit(abs)
	if err != nil {
		return nil, err
	}
	// Default storage options reopen the packfile for every object read,
	// which made history walks 2.5x slower. Objects above the file limit
	// are read lazily, so their size comes from the header and a 100 MB
	// blob is never inflated just to be refused or stat'ed.
	st := filesystem.NewStorageWithOptions(dot, cache.NewObjectLRUDefault(),
		filesystem.Options{KeepDescriptors: true, LargeObjectThreshold: load.MaxFileBytes})
	repo, err := git.Open(st, osfs.New(root))
	if err != nil {
		_ = st.Close()
		if errors.Is(err, git.ErrRepositoryNotExists) {
			return nil, fmt.Errorf("%s: %w", abs, ErrNotRepo)
		}
		return nil, fmt.Errorf("open repository %s: %w", root, err)
	}
	r := &Repo{root: root, dot: dot, objects: objects, st: st, repo: repo, trees: newTreeCache()}
	r.packs = newPacks(objects, r.looseObject)
	return r, nil
}

// findDotGit walks up from dir to the first directory holding .git, which may
// be a directory or, for linked worktrees and submodules, a "gitdir:" file.
// It also returns the objects folder, where the pack files are.
func findDotGit(dir string) (root string, dot billy.Filesystem, objects string, err error) {
	for d := dir; ; {
		fi, err := os.Stat(filepath.Join(d, ".git"))
		switch {
		case err == nil && fi.IsDir():
			return d, osfs.New(filepath.Join(d, ".git")), filepath.Join(d, ".git", "objects"), nil
		case err == nil:
			dot, objects, err := gitdirFile(d)
			if err != nil {
				return "", nil, "", err
			}
			return d, dot, objects, nil
		case !errors.Is(err, os.ErrNotExist):
			return "", nil, "", fmt.Errorf("open repository: %w", err)
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", nil, "", fmt.Errorf("%s: %w", dir, ErrNotRepo)
		}
		d = parent
	}
}

// gitdirFile follows a .git file to the real git directory, joining it with
// the shared "commondir" of a linked worktree so refs and objects resolve.
func gitdirFile(root string) (dot billy.Filesystem, objects string, err error) {
	b, err := os.ReadFile(filepath.Join(root, ".git"))
	if err != nil {
		return nil, "", fmt.Errorf("open repository: %w", err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	gitdir, ok := strings.CutPrefix(strings.TrimSpace(line), "gitdir:")
	if !ok {
		return nil, "", fmt.Errorf("%s: .git file has no gitdir line: %w", root, ErrNotRepo)
	}
	gitdir = strings.TrimSpace(gitdir)
	if !filepath.IsAbs(gitdir) {
		gitdir = filepath.Join(root, gitdir)
	}
	dot = osfs.New(gitdir)
	common, err := os.ReadFile(filepath.Join(gitdir, "commondir"))
	if errors.Is(err, os.ErrNotExist) {
		return dot, filepath.Join(gitdir, "objects"), nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("open repository: %w", err)
	}
	dir := strings.TrimSpace(string(common))
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(gitdir, dir)
	}
	return dotgit.NewRepositoryFilesystem(dot, osfs.New(dir)), filepath.Join(dir, "objects"), nil
}

// Close releases the packfile descriptors kept open for speed.
func (r *Repo) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	err := r.packs.Close()
	if e := r.st.Close(); err == nil {
		err = e
	}
	if err != nil {
		return fmt.Errorf("close repository: %w", err)
	}
	return nil
}

// Root returns the absolute path of the work tree root. Symbolic links in it
// are not resolved, so it stays comparable with paths built from the
// directory given to Open.
func (r *Repo) Root() string { return r.root }

// Shallow reports whether the repository is a shallow clone, whose history
// stops at a boundary and so cannot prove when a file was first written.
func (r *Repo) Shallow() (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	hs, err := r.st.Shallow()
	if err != nil {
		return false, fmt.Errorf("read shallow boundary: %w", err)
	}
	return len(hs) > 0, nil
}

// Boundary lists the commits at the boundary of a shallow clone, sorted
// (none for a full repository): with the commit, all a walk of history
// depends on.
func (r *Repo) Boundary() ([]string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	hs, err := r.st.Shallow()
	if err != nil {
		return nil, fmt.Errorf("read shallow boundary: %w", err)
	}
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.String()
	}
	slices.Sort(out)
	return out, nil
}

// Resolve turns a revision such as "HEAD", a branch, a tag, a full or short
// hash, "HEAD~3" or "v1^" into the commit it names.
func (r *Repo) Resolve(rev string) (Commit, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, err := r.resolve(rev)
	if err != nil {
		return Commit{}, err
	}
	return toCommit(c), nil
}

func (r *Repo) resolve(rev string) (*object.Commit, error) {
	base, suffix, err := splitRev(rev)
	if err != nil {
		return nil, err
	}
	h, err := r.resolveBase(rev, base)
	if err != nil {
		return nil, err
	}
	if suffix != "" {
		// go-git walks ~ and ^ from the full hash we resolved.
		next, err := r.repo.ResolveRevision(plumbing.Revision(h.String() + suffix))
		if err != nil {
			if notFound(err) {
				return nil, fmt.Errorf("unknown revision %q", rev)
			}
			return nil, fmt.Errorf("resolve revision %q: %w", rev, err)
		}
		h = *next
	}
	c, err := r.repo.CommitObject(h)
	if err != nil {
		return nil, fmt.Errorf("resolve revision %q: read commit %s: %w", rev, h, err)
	}
	return c, nil
}

// revSuffix is what aims accepts after a name: ancestors (~N, ^N) and peels
// to a commit (^{}, ^{commit}).
var revSuffix = regexp.MustCompile(`^(~[0-9]*|\^[0-9]*|\^\{(commit)?\})*$`)

// splitRev splits rev into the name and the ancestry suffix, with peels to
// a commit dropped (every name is peeled to its commit anyway). It refuses
// what does not name a commit: a path (HEAD:file), a peel to anything else
// (^{tree}, ^{blob}, ^{/text}), reflog entries and ranges.
func splitRev(rev string) (base, suffix string, err error) {
	base = rev
	if i := strings.IndexAny(rev, "~^"); i >= 0 {
		base, suffix = rev[:i], rev[i:]
	}
	peel := strings.NewReplacer("^{commit}", "", "^{}", "").Replace(suffix)
	switch {
	case strings.ContainsAny(rev, ":") || strings.Contains(rev, "@{") || strings.Contains(rev, "..") || strings.Contains(peel, "{"):
		return "", "", fmt.Errorf("revision %q does not name a commit (aims reads a whole commit: a branch, tag, hash, HEAD~N or v1^N)", rev)
	case base == "" || !revSuffix.MatchString(suffix):
		return "", "", fmt.Errorf("unknown revision %q", rev)
	}
	return base, peel, nil
}

// resolveBase resolves a name to the commit it names, as git does: a ref
// first (go-git would try hash prefixes first, so a branch called "cafe"
// would lose to a commit whose hash starts that way), then a full hash, then
// a hash prefix of at least 4 digits that must abbreviate exactly one commit
// or tag. Tags are peeled; anything else is refused. An object that cannot
// be read is an error naming it, never "unknown revision".
func (r *Repo) resolveBase(rev, base string) (plumbing.Hash, error) {
	var h plumbing.Hash
	found := false
	for _, rule := range refRules {
		ref, err := r.repo.Reference(plumbing.ReferenceName(fmt.Sprintf(rule, base)), true)
		if err == nil {
			h, found = ref.Hash(), true
			break
		}
	}
	if !found {
		hexDigits := len(base) >= 4 && len(base) <= 2*len(plumbing.ZeroHash) &&
			strings.Trim(strings.ToLower(base), "0123456789abcdef") == ""
		if !hexDigits {
			return h, fmt.Errorf("unknown revision %q", rev)
		}
		var cands []plumbing.Hash
		var err error
		if len(base) == 2*len(plumbing.ZeroHash) {
			// A full hash names at most one object: look it up instead of
			// scanning every pack index for the prefix.
			// What it is (commit, tag or neither) is checked below.
			full := plumbing.NewHash(base)
			switch _, err := r.st.EncodedObject(plumbing.AnyObject, full); {
			case err == nil:
				cands = []plumbing.Hash{full}
			case !errors.Is(err, plumbing.ErrObjectNotFound):
				return h, fmt.Errorf("resolve revision %q: read object %s: %w", rev, full, err)
			}
		} else {
			cands, err = r.commitish(strings.ToLower(base))
		}
		if err != nil {
			return h, fmt.Errorf("resolve revision %q: %w", rev, err)
		}
		switch len(cands) {
		case 0:
			return h, fmt.Errorf("unknown revision %q", rev)
		case 1:
			h = cands[0]
		default:
			short := make([]string, len(cands))
			for i, c := range cands {
				short[i] = c.String()[:12]
			}
			return h, fmt.Errorf("ambiguous argument %q: it abbreviates %d commits or tags (%s); give more digits",
				rev, len(cands), strings.Join(short, ", "))
		}
	}
	// Peel tags to the commit they name.
	for range 10 {
		obj, err := r.st.EncodedObject(plumbing.AnyObject, h)
		if errors.Is(err, plumbing.ErrObjectNotFound) {
			return h, fmt.Errorf("unknown revision %q (object %s is missing)", rev, h)
		}
		if err != nil {
			return h, fmt.Errorf("resolve revision %q: read object %s: %w", rev, h, err)
		}
		switch obj.Type() {
		case plumbing.CommitObject:
			return h, nil
		case plumbing.TagObject:
			tag, err := object.DecodeTag(r.st, obj)
			if err != nil {
				return h, fmt.Errorf("resolve revision %q: read tag %s: %w", rev, h, err)
			}
			h = tag.Target
		default:
			return h, fmt.Errorf("revision %q names a %s, not a commit", rev, obj.Type())
		}
	}
	return h, fmt.Errorf("revision %q: tags nested too deep", rev)
}

// commitish lists the commits and tags whose hash starts with prefix (hex).
func (r *Repo) commitish(prefix string) ([]plumbing.Hash, error) {
	even, err := hex.DecodeString(prefix[:len(prefix)&^1])
	if err != nil {
		return nil, err
	}
	hs, err := r.st.HashesWithPrefix(even)
	if err != nil {
		return nil, err
	}
	var out []plumbing.Hash
	for _, h := range hs {
		if !strings.HasPrefix(h.String(), prefix) {
			continue
		}
		obj, err := r.st.EncodedObject(plumbing.AnyObject, h)
		if err != nil {
			return nil, fmt.Errorf("read object %s: %w", h, err)
		}
		if t := obj.Type(); t == plumbing.CommitObject || t == plumbing.TagObject {
			out = append(out, h)
		}
	}
	// An object can be stored more than once (loose and packed, or in two
	// packs, as after a fetch into a clone): it still abbreviates one thing.
	slices.SortFunc(out, func(a, b plumbing.Hash) int { return strings.Compare(a.String(), b.String()) })
	return slices.Compact(out), nil
}

// refRules are the places git looks for a ref name, in git's order.
var refRules = []string{"%s", "refs/%s", "refs/tags/%s", "refs/heads/%s", "refs/remotes/%s", "refs/remotes/%s/HEAD"}

// notFound tells a revision that does not exist from a failure to read the
// repository. go-git reports a missing ref, a hash prefix matching nothing,
// "HEAD~9" past the root commit and bad syntax with different errors; to a
// user they all mean the same thing.
func notFound(err error) bool {
	return errors.Is(err, plumbing.ErrReferenceNotFound) ||
		errors.Is(err, plumbing.ErrObjectNotFound) ||
		errors.Is(err, object.ErrParentNotFound) ||
		errors.Is(err, io.EOF) ||
		strings.HasPrefix(err.Error(), "Revision invalid")
}

func toCommit(c *object.Commit) Commit {
	subject, _, _ := strings.Cut(c.Message, "\n")
	return Commit{
		Hash:      c.Hash.String(),
		Author:    c.Author.Name,
		Email:     c.Author.Email,
		When:      c.Author.When,
		Committed: c.Committer.When,
		Subject:   strings.TrimRight(subject, "\r"),
	}
}

// Dirty reports whether anything under prefix (a slash path relative to the
// repository root, "" for all of it) differs from HEAD: staged or unstaged
// changes, or untracked files that are not ignored. Results computed from a
// dirty tree describe files no commit holds yet.
func (r *Repo) Dirty(prefix string) (bool, error) {
	prefix, err := cleanPrefix(prefix)
	if err != nil {
		return false, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	wt, err := r.repo.Worktree()
	if err != nil {
		return false, fmt.Errorf("read work tree: %w", err)
	}
	// go-git reads .gitignore files itself but neither the user's global
	// excludes nor .git/info/exclude (its work tree file system refuses
	// paths inside .git); without them files git ignores would count as
	// changes.
	wt.Excludes = append(globalExcludes(), r.infoExcludes()...)
	st, err := wt.Status()
	if err != nil {
		return false, fmt.Errorf("read work tree status: %w", err)
	}
	for name, fs := range st {
		if fs.Staging == git.Unmodified && fs.Worktree == git.Unmodified {
			continue
		}
		if under(filepath.ToSlash(name), prefix) {
			return true, nil
		}
	}
	return false, nil
}

// globalExcludes loads the ignore files git consults outside the repository:
// core.excludesFile from ~/.gitconfig and /etc/gitconfig, and the default
// $XDG_CONFIG_HOME/git/ignore. Unreadable files are skipped, as git does.
func globalExcludes() []gitignore.Pattern {
	rootFS := osfs.New("/")
	var ps []gitignore.Pattern
	if sys, err := gitignore.LoadSystemPatterns(rootFS); err == nil {
		ps = append(ps, sys...)
	}
	if glob, err := gitignore.LoadGlobalPatterns(rootFS); err == nil {
		ps = append(ps, glob...)
	}
	xdg := os.Getenv("XDG_CONFIG_HOME")
	if xdg == "" {
		if home, err := os.UserHomeDir(); err == nil {
			xdg = filepath.Join(home, ".config")
		}
	}
	if xdg != "" {
		if f, err := os.Open(filepath.Join(xdg, "git", "ignore")); err == nil {
			ps = append(ps, readIgnore(f)...)
			_ = f.Close()
		}
	}
	return ps
}

func (r *Repo) infoExcludes() []gitignore.Pattern {
	f, err := r.dot.Open("info/exclude")
	if err != nil {
		return nil
	}
	defer f.Close()
	return readIgnore(f)
}

// readIgnore parses a gitignore file whose patterns apply from the root.
func readIgnore(rd io.Reader) []gitignore.Pattern {
	var ps []gitignore.Pattern
	sc := bufio.NewScanner(rd)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		ps = append(ps, gitignore.ParsePattern(line, nil))
	}
	return ps
}

// cleanPrefix normalises a slash path relative to the repository root;
// "", "." and "/" all mean the whole repository.
func cleanPrefix(p string) (string, error) {
	p = strings.TrimPrefix(path.Clean(filepath.ToSlash(p)), "/")
	if p == ".." || strings.HasPrefix(p, "../") {
		return "", fmt.Errorf("prefix %q is outside the repository", p)
	}
	if p == "." {
		return "", nil
	}
	return p, nil
}

// under reports whether slash path name is prefix or inside it.
func under(name, prefix string) bool {
	if prefix == "" {
		return true
	}
	rest, ok := strings.CutPrefix(name, prefix)
	return ok && (rest == "" || rest[0] == '/')
}
