package vcs

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/google/go-cmp/cmp"
)

// Trees and commits are read from pack files by our own reader (pack.go)
// and from loose objects by go-git. Whatever the storage, Provenance must
// be the same: here a random history is read loose (the form the
// comparisons with git log use), then packed by git with deltas whose
// bases are offsets, then from two packs holding the same objects, then
// from a pack whose deltas name their bases by hash, then with new loose
// commits on top of the packs.
func TestProvenanceSameFromEveryStorage(t *testing.T) {
	gitBinary(t)
	dir := t.TempDir()
	branches := randomRepo(t, dir, 11, 250, orderedDates)
	twin := filepath.Join(t.TempDir(), "loose")
	if err := os.CopyFS(twin, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	provenance := func(t *testing.T, dir, rev string) Provenance {
		t.Helper()
		r, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		p, err := r.Provenance(rev, "")
		if err != nil {
			t.Fatalf("Provenance(%q) in %s: %v", rev, dir, err)
		}
		return p
	}
	want := map[string]Provenance{}
	for _, br := range branches {
		want[br] = provenance(t, dir, br)
		if len(want[br].Files) == 0 {
			t.Fatalf("no files on %s: the comparison would prove nothing", br)
		}
	}
	same := func(t *testing.T) {
		t.Helper()
		for _, br := range branches {
			if diff := cmp.Diff(want[br], provenance(t, dir, br)); diff != "" {
				t.Errorf("Provenance(%q) differs from the loose objects' (-loose +packed):\n%s", br, diff)
			}
		}
	}
	packDir := filepath.Join(dir, ".git", "objects", "pack")

	t.Run("one pack, offset deltas", func(t *testing.T) {
		runGit(t, dir, nil, "repack", "-adq", "--depth=50", "--window=250")
		if loose := looseObjects(t, dir); loose != 0 {
			t.Fatalf("%d loose objects left after repack -ad", loose)
		}
		if n := packKinds(t, dir)[packOfsDelta]; n < 20 {
			t.Fatalf("only %d offset deltas in the pack: the test would not read deltas", n)
		}
		everyObject(t, dir)
		same(t)
	})
	first, _ := filepath.Glob(filepath.Join(packDir, "*.pack"))

	t.Run("two packs, same objects", func(t *testing.T) {
		objs := runGit(t, dir, nil, "rev-list", "--objects", "--all")
		// Without --delta-base-offset, deltas name their base by hash.
		runGit(t, dir, []byte(objs), "pack-objects", "-q", "--window=250", "--depth=50", filepath.Join(packDir, "pack"))
		if packs, _ := filepath.Glob(filepath.Join(packDir, "*.pack")); len(packs) != 2 {
			t.Fatalf("want two packs holding the same objects, have %d", len(packs))
		}
		everyObject(t, dir)
		same(t)
	})

	t.Run("hash deltas", func(t *testing.T) {
		if len(first) != 1 {
			t.Fatalf("packs of the first step: %v", first)
		}
		for _, f := range []string{first[0], strings.TrimSuffix(first[0], ".pack") + ".idx"} {
			if err := os.Remove(f); err != nil {
				t.Fatal(err)
			}
		}
		if n := packKinds(t, dir)[packRefDelta]; n < 20 {
			t.Fatalf("only %d hash deltas in the pack: the test would not read them", n)
		}
		everyObject(t, dir)
		same(t)
	})

	t.Run("loose commits on packed history", func(t *testing.T) {
		// The same commits in both repositories have the same hashes.
		var heads [2]plumbing.Hash
		for i, d := range []string{dir, twin} {
			b := newBuilderAt(t, d)
			main, err := b.repo.ResolveRevision("main")
			if err != nil {
				t.Fatal(err)
			}
			snap := map[string]string{"sub/aims/policy.yaml": "v9\n", "sub/aims/risks/r1.yaml": "v0\n", "sub/aims/new.yaml": "n\n"}
			h := b.commit(snap, "loose 1\n", day(400), *main)
			snap = with(snap, "sub/aims/risks/r1.yaml", "v8\n")
			heads[i] = b.commit(snap, "loose 2\n", day(401), h)
		}
		if heads[0] != heads[1] {
			t.Fatalf("the twin's commit is %s, ours %s", heads[1], heads[0])
		}
		if looseObjects(t, dir) == 0 {
			t.Fatal("no loose objects beside the pack")
		}
		loose := provenance(t, twin, heads[0].String())
		if diff := cmp.Diff(loose, provenance(t, dir, heads[0].String())); diff != "" {
			t.Errorf("loose on packed differs from loose (-loose +mixed):\n%s", diff)
		}
		// git repack without -a packs just the loose objects reachable
		// from a ref: two packs with different objects, both read by one
		// walk.
		runGit(t, dir, nil, "branch", "loose", heads[0].String())
		runGit(t, dir, nil, "repack", "-dq")
		if packs, _ := filepath.Glob(filepath.Join(packDir, "*.pack")); len(packs) != 2 || looseObjects(t, dir) != 0 {
			t.Fatalf("want two packs and no loose objects, have %d packs", len(packs))
		}
		everyObject(t, dir)
		if diff := cmp.Diff(loose, provenance(t, dir, heads[0].String())); diff != "" {
			t.Errorf("from two packs differs from loose (-loose +packed):\n%s", diff)
		}
	})

	t.Run("missing tree", func(t *testing.T) {
		b := newBuilderAt(t, dir)
		snap := map[string]string{"sub/aims/gone/x.yaml": "gone\n"}
		c := b.commit(snap, "broken\n", day(500))
		gone := b.tree(map[string]string{"x.yaml": "gone\n"})
		if err := os.Remove(filepath.Join(dir, ".git", "objects", gone.String()[:2], gone.String()[2:])); err != nil {
			t.Fatal(err)
		}
		r := openRepo(t, dir)
		_, err := r.Provenance(c.String(), "")
		if err == nil || !strings.Contains(err.Error(), gone.String()) {
			t.Errorf("Provenance with tree %s missing: %v, want an error naming it", gone, err)
		}
	})
}

// looseObjects counts the loose object files of the repository in dir.
func looseObjects(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(filepath.Join(dir, ".git", "objects"), func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "pack" || d.Name() == "info") {
			return filepath.SkipDir
		}
		if !d.IsDir() && len(filepath.Base(filepath.Dir(p))) == 2 {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// everyObject reads every copy of every object in every pack, one pack
// after the other, and checks it hashes to its name. Each pack has an
// object at offset 12, and most share other offsets: a cache keyed by
// offset alone would hand the second pack the first one's objects.
func everyObject(t *testing.T, dir string) {
	t.Helper()
	read := 0
	eachPacked(t, dir, func(r *Repo, p *pack, e *idxfile.Entry) {
		typ, data, err := r.packs.at(p, int64(e.Offset))
		if err != nil {
			t.Fatalf("%s at %d: %v", e.Hash, e.Offset, err)
		}
		if got := plumbing.ComputeHash(typ, data); got != e.Hash {
			t.Fatalf("%s: the object at offset %d of %s hashes to %s", e.Hash, e.Offset, p.name, got)
		}
		read++
	})
	if read == 0 {
		t.Fatal("no packed objects")
	}
}

// packKinds counts the objects of every pack by their type in the pack
// (whole object, offset delta, hash delta).
func packKinds(t *testing.T, dir string) map[byte]int {
	t.Helper()
	kinds := map[byte]int{}
	eachPacked(t, dir, func(_ *Repo, p *pack, e *idxfile.Entry) {
		typ, _, err := p.header(int64(e.Offset))
		if err != nil {
			t.Fatal(err)
		}
		kinds[typ]++
	})
	return kinds
}

// eachPacked calls f for every entry of every pack index of the repository
// at dir, opened once.
func eachPacked(t *testing.T, dir string, f func(*Repo, *pack, *idxfile.Entry)) {
	t.Helper()
	r := openRepo(t, dir)
	if err := r.packs.load(); err != nil {
		t.Fatal(err)
	}
	for _, p := range r.packs.list {
		it, err := p.idx.Entries()
		if err != nil {
			t.Fatal(err)
		}
		for {
			e, err := it.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			f(r, p, e)
		}
		_ = it.Close()
	}
}

// applyDelta must build what go-git builds from a valid delta and refuse,
// never panic on, every truncation of it.
func TestApplyDelta(t *testing.T) {
	base := []byte(strings.Repeat("policy: v1\nowner: ada\n", 40))
	target := []byte(strings.Repeat("policy: v1\nowner: ada\n", 20) + "scope: all\n" + strings.Repeat("policy: v1\nowner: grace\n", 20))
	delta := packfile.DiffDelta(base, target)
	got, err := applyDelta(base, delta)
	if err != nil || string(got) != string(target) {
		t.Fatalf("applyDelta = %q, %v; want the target", got, err)
	}
	for n := range len(delta) {
		if _, err := applyDelta(base, delta[:n]); err == nil {
			t.Errorf("a delta cut to %d of %d bytes was applied", n, len(delta))
		}
	}
	if _, err := applyDelta(base[1:], delta); err == nil {
		t.Error("a delta applied to a base of the wrong size")
	}
}

// A packed tree that does not inflate is an error naming the tree and the
// pack, never a panic or an empty tree.
func TestCorruptPackedTreeIsAnErrorNamingIt(t *testing.T) {
	gitBinary(t)
	s := newStory(t)
	runGit(t, s.dir, nil, "repack", "-adq")
	r := openRepo(t, s.dir)
	if err := r.packs.load(); err != nil || len(r.packs.list) != 1 {
		t.Fatalf("want one pack: %d, %v", len(r.packs.list), err)
	}
	p := r.packs.list[0]
	it, err := p.idx.Entries()
	if err != nil {
		t.Fatal(err)
	}
	var tree plumbing.Hash
	var at int64
	for tree.IsZero() {
		e, err := it.Next()
		if err != nil {
			t.Fatalf("no whole tree in the pack: %v", err)
		}
		if typ, _, err := p.header(int64(e.Offset)); err == nil && typ == packTree {
			tree, at = e.Hash, p.win.pos // where its zlib stream starts
		}
	}
	name := filepath.Join(s.dir, ".git", p.name)
	if err := os.Chmod(name, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(name, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte{0xff, 0xff, 0xff, 0xff}, at); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	r = openRepo(t, s.dir)
	r.mu.Lock()
	_, err = r.tree(tree)
	r.mu.Unlock()
	if err == nil || !strings.Contains(err.Error(), tree.String()) || !strings.Contains(err.Error(), p.name) {
		t.Errorf("reading corrupt tree %s: %v, want an error naming it and %s", tree, err, p.name)
	}
}

// A thin pack, as a fetch receives it, holds deltas whose bases are not in
// it: in another pack or loose. git completes such a pack before keeping
// it (index-pack --fix-thin), but other tools need not, and the reader
// must then find the bases where they are.
func TestThinPackBasesElsewhere(t *testing.T) {
	gitBinary(t)
	for _, where := range []string{"loose", "in another pack"} {
		t.Run("bases "+where, func(t *testing.T) {
			dir := t.TempDir()
			randomRepo(t, dir, 5, 150, orderedDates)
			snap := map[string]string{}
			fsys, _, err := openRepo(t, dir).FS("main")
			if err != nil {
				t.Fatal(err)
			}
			if err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
				if err != nil || !d.Type().IsRegular() {
					return err
				}
				data, err := fs.ReadFile(fsys, p)
				snap[p] = string(data)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			// A directory large enough that git stores its next version
			// as a delta of this one.
			for i := range 40 {
				snap = with(snap, fmt.Sprintf("sub/aims/many/f%02d.yaml", i), fmt.Sprintf("f: %d\n", i))
			}
			b := newBuilderAt(t, dir)
			main, err := b.repo.ResolveRevision("main")
			if err != nil {
				t.Fatal(err)
			}
			b.ref("refs/heads/main", b.commit(snap, "many\n", day(590), *main))
			if where != "loose" {
				runGit(t, dir, nil, "repack", "-adq")
			}
			old := strings.TrimSpace(runGit(t, dir, nil, "rev-parse", "main"))
			b = newBuilderAt(t, dir)
			head := plumbing.NewHash(old)
			for i, p := range []string{"sub/aims/many/f07.yaml", "sub/aims/risks/r9.yaml", "sub/aims/many/f31.yaml"} {
				snap = with(snap, p, fmt.Sprintf("thin %d\n", i))
				head = b.commit(snap, fmt.Sprintf("thin %d\n", i), day(600+i), head)
			}
			b.ref("refs/heads/main", head)
			want := hashes(provenanceOf(t, dir, "main"))

			thin := runGit(t, dir, []byte(head.String()+"\n^"+old+"\n"), "pack-objects", "--thin", "--revs", "--stdout")
			repo, err := git.PlainOpen(dir)
			if err != nil {
				t.Fatal(err)
			}
			var idx idxfile.Writer
			parser, err := packfile.NewParserWithStorage(packfile.NewScanner(strings.NewReader(thin)), repo.Storer, &idx)
			if err != nil {
				t.Fatal(err)
			}
			sum, err := parser.Parse()
			if err != nil {
				t.Fatal(err)
			}
			mi, err := idx.Index()
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.Join(dir, ".git", "objects", "pack", "pack-"+sum.String())
			var buf bytes.Buffer
			if _, err := idxfile.NewEncoder(&buf).Encode(mi); err != nil {
				t.Fatal(err)
			}
			writeFile(t, name+".pack", thin)
			writeFile(t, name+".idx", buf.String())
			// The new objects are now only in the thin pack.
			it, err := mi.Entries()
			if err != nil {
				t.Fatal(err)
			}
			for {
				e, err := it.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				h := e.Hash.String()
				if err := os.Remove(filepath.Join(dir, ".git", "objects", h[:2], h[2:])); err != nil && !errors.Is(err, fs.ErrNotExist) {
					t.Fatal(err)
				}
			}

			r := openRepo(t, dir)
			if err := r.packs.load(); err != nil {
				t.Fatal(err)
			}
			external := 0
			for _, p := range r.packs.list {
				if p.name != "objects/pack/pack-"+sum.String()+".pack" {
					continue
				}
				it, _ := p.idx.Entries()
				for e, err := it.Next(); err == nil; e, err = it.Next() {
					var base plumbing.Hash
					if typ, _, err := p.header(int64(e.Offset)); err != nil || typ != packRefDelta {
						continue
					}
					if _, err := io.ReadFull(&p.win, base[:]); err != nil {
						t.Fatal(err)
					}
					if _, ok := p.offset(base); !ok {
						external++
					}
				}
			}
			if external == 0 {
				t.Fatal("no delta in the thin pack has its base elsewhere: the test would prove nothing")
			}
			everyObject(t, dir)
			if diff := cmp.Diff(want, hashes(provenanceOf(t, dir, "main"))); diff != "" {
				t.Errorf("Provenance with a thin pack differs (-loose +thin):\n%s", diff)
			}
		})
	}
}

func provenanceOf(t *testing.T, dir, rev string) Provenance {
	t.Helper()
	p, err := openRepo(t, dir).Provenance(rev, "")
	if err != nil {
		t.Fatal(err)
	}
	return p
}
