package cache

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aims-dev/aims/pkg/diag"
)

// A key is the SHA-256 of its parts, each after its length (8 bytes, little
// endian), whether the parts are short enough to be hashed from the stack
// or not: keys written by either way must be found by the other.
func TestNewKeyIsTheDigestOfItsParts(t *testing.T) {
	for _, n := range []int{0, 1, 491, 492, 493, 4096} { // 492: 512 bytes in all
		parts := [][]byte{[]byte("kind"), bytes.Repeat([]byte{'x'}, n)}
		var want []byte
		for _, p := range parts {
			want = append(binary.LittleEndian.AppendUint64(want, uint64(len(p))), p...)
		}
		if got := NewKey(parts...); got != Key(sha256.Sum256(want)) {
			t.Errorf("NewKey of a part of %d bytes = %x, want %x", n, got[:4], sha256.Sum256(want))
		}
	}
}

func TestStoreGetsWhatWasPut(t *testing.T) { eachRead(t, storeGetsWhatWasPut) }

func storeGetsWhatWasPut(t *testing.T) {
	dir := t.TempDir()
	s := Open(dir)
	k := NewKey([]byte("a"), []byte("b"))
	if _, ok := s.Get(k); ok {
		t.Fatal("hit in an empty cache")
	}
	s.Put(k, []byte("payload"))
	s.Flush()
	if b, ok := Open(dir).Get(k); !ok || string(b) != "payload" {
		t.Fatalf("Get = %q, %v; want the payload", b, ok)
	}
	if NewKey([]byte("ab"), []byte("")) == k {
		t.Error("parts are not delimited: (ab, \"\") and (a, b) share a key")
	}
	var off *Store
	off.Put(k, []byte("x"))
	off.Flush()
	if _, ok := off.Get(k); ok {
		t.Error("a cache that is off answered")
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*.tmp*")); len(m) > 0 {
		t.Errorf("temporary files left behind: %v", m)
	}
}

// eachRead runs a store test with packs read whole and entry by entry
// (packs past wholePack).
func eachRead(t *testing.T, test func(t *testing.T)) {
	t.Run("whole", test)
	t.Run("by entry", func(t *testing.T) {
		defer func(n int64) { wholePack = n }(wholePack)
		wholePack = 0
		test(t)
	})
}

func TestDirFollowsEnv(t *testing.T) {
	t.Setenv(EnvDir, "/somewhere/else")
	if got := Dir(); got != "/somewhere/else" {
		t.Errorf("Dir() = %q with %s set", got, EnvDir)
	}
	t.Setenv(EnvDir, "off")
	if Open(Dir()) != nil {
		t.Errorf("%s=off still opens a cache", EnvDir)
	}
}

// An index line pointing at another key's entry, or an entry or index
// changed in any byte, is a miss.
func TestStoreRefusesForeignAndCorruptEntries(t *testing.T) {
	eachRead(t, storeRefusesForeignAndCorruptEntries)
}

func storeRefusesForeignAndCorruptEntries(t *testing.T) {
	dir := t.TempDir()
	s := Open(dir)
	a, b := NewKey([]byte("a")), NewKey([]byte("b"))
	s.Put(a, []byte("for a"))
	s.Put(b, []byte("for b"))
	s.Flush()

	index := readIndex(dir)
	index[b] = index[a]
	writeAtomic(filepath.Join(dir, indexFile), encodeIndex(index))
	if _, ok := Open(dir).Get(b); ok {
		t.Error("a's entry was accepted as b's")
	}
	if _, ok := Open(dir).Get(a); !ok {
		t.Fatal("a's own entry was refused")
	}
	// Index lines past the end of the pack, or overlapping it, are misses.
	for _, l := range []loc{{off: 1 << 40, n: 8}, {off: index[a].off + 1, n: index[a].n}, {off: 0, n: 1 << 40}, {off: -1, n: 8}} {
		l.pack = index[a].pack
		bad := readIndex(dir)
		bad[b] = l
		writeAtomic(filepath.Join(dir, indexFile), encodeIndex(bad))
		if _, ok := Open(dir).Get(b); ok {
			t.Errorf("an index line at %d+%d was accepted", l.off, l.n)
		}
	}
	index[b] = index[a]
	writeAtomic(filepath.Join(dir, indexFile), encodeIndex(index))

	packs, _ := filepath.Glob(filepath.Join(dir, "*.pack"))
	if len(packs) != 1 {
		t.Fatalf("%d packs after one flush, want 1", len(packs))
	}
	for _, p := range []string{packs[0], filepath.Join(dir, indexFile)} {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for i := range raw {
			spoiled := append([]byte(nil), raw...)
			spoiled[i] ^= 1
			os.WriteFile(p, spoiled, 0o600)
			if p == packs[0] && i >= int(index[a].n) {
				break // past a's entry
			}
			if _, ok := Open(dir).Get(a); ok {
				t.Fatalf("%s with byte %d changed was accepted", filepath.Base(p), i)
			}
		}
		os.WriteFile(p, raw, 0o600)
	}
}

// Packs do not pile up: past maxPacks, a flush keeps only what its run
// used, in one pack.
func TestStoreCompacts(t *testing.T) { eachRead(t, storeCompacts) }

func storeCompacts(t *testing.T) {
	dir := t.TempDir()
	stale := NewKey([]byte("stale"))
	s := Open(dir)
	s.Put(stale, []byte("old"))
	s.Flush()
	var k Key
	for i := range maxPacks + 1 {
		s := Open(dir)
		k = NewKey([]byte{byte(i)})
		s.Put(k, []byte{byte(i)})
		s.Flush()
	}
	packs, _ := filepath.Glob(filepath.Join(dir, "*.pack"))
	if len(packs) > maxPacks {
		t.Errorf("%d packs after %d runs", len(packs), maxPacks+2)
	}
	if b, ok := Open(dir).Get(k); !ok || b[0] != maxPacks {
		t.Errorf("the last run's entry was lost in compaction: %v %v", b, ok)
	}
}

// Compaction keeps what the run read, not only what it wrote, even when
// it read it through the index of an earlier flush.
func TestStoreCompactionKeepsWhatWasRead(t *testing.T) { eachRead(t, compactionKeepsWhatWasRead) }

func compactionKeepsWhatWasRead(t *testing.T) {
	dir := t.TempDir()
	read, before, unread := NewKey([]byte("read")), NewKey([]byte("read before a flush")), NewKey([]byte("unread"))
	s := Open(dir)
	s.Put(read, []byte("r"))
	s.Put(before, []byte("b"))
	s.Put(unread, []byte("u"))
	s.Flush()
	for i := range maxPacks - 2 { // one pack short of compacting
		s := Open(dir)
		s.Put(NewKey([]byte{byte(i)}), []byte{byte(i)})
		s.Flush()
	}
	s = Open(dir)
	if _, ok := s.Get(before); !ok {
		t.Fatal("entry missing before compaction")
	}
	s.Put(NewKey([]byte("first")), []byte("1"))
	s.Flush() // maxPacks packs: no compaction yet
	if _, ok := s.Get(read); !ok {
		t.Fatal("entry missing before compaction")
	}
	s.Put(NewKey([]byte("second")), []byte("2"))
	s.Flush() // compacts
	packs, _ := filepath.Glob(filepath.Join(dir, "*.pack"))
	if len(packs) != 1 {
		t.Fatalf("%d packs after compaction, want 1", len(packs))
	}
	s = Open(dir)
	for k, want := range map[Key]string{read: "r", before: "b"} {
		if b, ok := s.Get(k); !ok || string(b) != want {
			t.Errorf("an entry the run read was dropped by compaction: %q %v", b, ok)
		}
	}
	if _, ok := s.Get(unread); ok {
		t.Error("an entry the run never read survived compaction")
	}
}

func TestCodecRoundTrip(t *testing.T) {
	value := map[string]any{"s": "x", "i": int64(-7), "f": 3.5, "t": true, "n": nil,
		"l": []any{int64(1), "two", []any{}, map[string]any{"k": false}}, "big": math.MaxFloat64}
	diags := diag.List{
		{Pos: diag.Pos{File: "a.yaml", Line: 3, Col: 4}, Severity: diag.Warning, Code: "C1", Msg: "m", Refs: []string{"7.5"}},
		{Pos: diag.Pos{File: "other.yaml", Line: 1, Col: 1}, Severity: diag.Error, Code: "C2", Msg: "n",
			Related: []diag.Pos{{File: "a.yaml", Line: 9, Col: 2}, {}}},
		{Severity: diag.Info, Code: "C3"},
	}
	e := &Encoder{}
	if !e.Value(value) {
		t.Fatal("Value refused a JSON-model value")
	}
	e.Diags(diags, "a.yaml")
	d := NewDecoder(e.B)
	gotV, gotD := d.Value(), d.Diags("a.yaml")
	if err := d.Done(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(any(value), gotV); diff != "" {
		t.Errorf("value (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(diags, gotD); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	if (&Encoder{}).Value(struct{}{}) {
		t.Error("Value accepted a type that is not plain data")
	}
	// Every truncation of the bytes is refused, never a panic or a huge
	// allocation.
	for i := range len(e.B) {
		d := NewDecoder(e.B[:i])
		d.Value()
		d.Diags("a.yaml")
		if d.Done() == nil {
			t.Fatalf("truncated at %d of %d bytes: accepted", i, len(e.B))
		}
	}
	huge := NewDecoder([]byte{tagList, 0xff, 0xff, 0xff, 0xff, 0x0f})
	if huge.Value(); huge.Err() == nil {
		t.Error("a list claiming 4 billion items was accepted")
	}
}

// Entries put over several runs, in several packs, replacing some keys,
// are all found, with the latest payload; a run finds what it flushed
// itself; and a run that flushes after another did keeps the other's
// entries (its index is read again when it changed on disk).
func TestStoreIndexAcrossRuns(t *testing.T) {
	dir := t.TempDir()
	want := map[Key]string{}
	for run := range 5 {
		s := Open(dir)
		for i := range 250 {
			k := NewKey([]byte{byte(i)}, []byte{byte(run % 2)}) // keys repeat across runs
			v := fmt.Sprintf("run %d item %d", run, i)
			s.Put(k, []byte(v))
			want[k] = v
		}
		s.Flush()
		if b, ok := s.Get(NewKey([]byte{7}, []byte{byte(run % 2)})); !ok || string(b) != want[NewKey([]byte{7}, []byte{byte(run % 2)})] {
			t.Errorf("run %d: its own flushed entry: %q, %v", run, b, ok)
		}
	}
	s := Open(dir)
	for k, v := range want {
		if b, ok := s.Get(k); !ok || string(b) != v {
			t.Fatalf("Get(%s) = %q, %v; want %q", k, b, ok, v)
		}
	}

	// Two runs at once: a reads the index, b flushes, then a flushes.
	a, b := Open(dir), Open(dir)
	a.Get(Key{})
	kb, ka := NewKey([]byte("from b")), NewKey([]byte("from a"))
	b.Put(kb, []byte("b"))
	b.Flush()
	a.Put(ka, []byte("a"))
	a.Flush()
	for _, k := range []Key{ka, kb} {
		if _, ok := Open(dir).Get(k); !ok {
			t.Errorf("after two runs flushed one after the other, %s is lost", k)
		}
	}
}

// An index whose lines are out of order is refused whole: a binary search
// in it could miss entries or find the wrong ones.
func TestStoreRefusesUnsortedIndex(t *testing.T) {
	dir := t.TempDir()
	s := Open(dir)
	keys := []Key{NewKey([]byte("a")), NewKey([]byte("b")), NewKey([]byte("c"))}
	for _, k := range keys {
		s.Put(k, []byte("x"))
	}
	s.Flush()
	raw, err := os.ReadFile(filepath.Join(dir, indexFile))
	if err != nil {
		t.Fatal(err)
	}
	lines := slices.Clone(raw[len(indexMagic) : len(raw)-sha256.Size])
	first := slices.Clone(lines[:indexLine])
	copy(lines, lines[indexLine:2*indexLine])
	copy(lines[indexLine:], first)
	b := append([]byte(indexMagic), lines...)
	sum := sha256.Sum256(b)
	writeAtomic(filepath.Join(dir, indexFile), append(b, sum[:]...))
	for _, k := range keys {
		if _, ok := Open(dir).Get(k); ok {
			t.Errorf("%s found through an unsorted index", k)
		}
	}
}

// Lookups find every line, at the edges of the key space and among keys
// sharing their first bytes, and miss keys between them.
func TestIndexFind(t *testing.T) {
	var keys []Key
	for _, prefix := range [][]byte{{0, 0}, {0, 0, 1}, {0, 0, 2}, {0, 1}, {0x7f, 0xff, 9}, {0x80, 0}, {0xff, 0xff}, {0xff, 0xff, 0xff}} {
		var k Key
		copy(k[:], prefix)
		keys = append(keys, k)
	}
	m := map[Key]loc{}
	for i, k := range keys {
		m[k] = loc{pack: "AAAAAAAAAAAAAAAA", off: int64(i), n: 1}
	}
	x := parseIndex(encodeIndex(m))
	if x.len() != len(keys) {
		t.Fatalf("index of %d lines, want %d", x.len(), len(keys))
	}
	for i, k := range keys {
		if j, ok := x.find(k); !ok || x.loc(j).off != int64(i) {
			t.Errorf("find(%x) = line %d, %v; want the line of offset %d", k[:3], j, ok, i)
		}
		k[31] = 1 // beside it, in the same bucket
		if _, ok := x.find(k); ok {
			t.Errorf("find(%x...01) found a key never put", k[:3])
		}
	}
	if _, ok := (index{}).find(keys[0]); ok {
		t.Error("an empty index found a key")
	}
}

// A store kept for many runs (aims server) flushes after each: compaction
// still keeps what it read at its first run, however many flushes ago, and
// it holds a bounded number of the indexes it read, and only the packs its
// index names.
func TestStoreLongLived(t *testing.T) { eachRead(t, storeLongLived) }

func storeLongLived(t *testing.T) {
	dir := t.TempDir()
	first, unread := NewKey([]byte("read at the start")), NewKey([]byte("never read"))
	s := Open(dir)
	s.Put(first, []byte("f"))
	s.Put(unread, []byte("u"))
	s.Flush()
	s = Open(dir)
	if _, ok := s.Get(first); !ok {
		t.Fatal("entry missing")
	}
	for i := range 3 * maxPacks {
		if i > 0 { // each run reads what the one before wrote
			if _, ok := s.Get(NewKey([]byte{byte(i - 1)})); !ok {
				t.Fatalf("flush %d: the entry of the run before is missing", i)
			}
		}
		s.Put(NewKey([]byte{byte(i)}), []byte{byte(i)})
		s.Flush()
		if len(s.earlier) > earlierKept {
			t.Fatalf("flush %d: %d earlier indexes kept", i, len(s.earlier))
		}
		for name := range s.packs {
			if _, ok := s.index.names[name]; !ok {
				t.Fatalf("flush %d: pack %s kept though the index names it no more", i, name)
			}
		}
	}
	packs, _ := filepath.Glob(filepath.Join(dir, "*.pack"))
	if len(packs) > maxPacks {
		t.Errorf("%d packs: compaction never ran", len(packs))
	}
	s = Open(dir)
	if b, ok := s.Get(first); !ok || string(b) != "f" {
		t.Errorf("compaction dropped an entry the store read %d flushes ago: %q %v", 3*maxPacks, b, ok)
	}
	if _, ok := s.Get(unread); ok {
		t.Error("an entry never read survived compaction")
	}
}
