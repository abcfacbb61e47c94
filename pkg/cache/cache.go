package cache

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sort"
	"sync"
)

// EnvDir moves the cache (CI caches it between jobs; tests point it at a
// temporary folder). "off" disables it.
const EnvDir = "AIMS_CACHE_DIR"

// Key addresses one entry.
type Key [sha256.Size]byte

// NewKey hashes the parts that decide an entry, each length-prefixed so
// that no two different lists of parts share a key.
func NewKey(parts ...[]byte) Key {
	size := 0
	for _, p := range parts {
		size += 8 + len(p)
	}
	if size <= 512 {
		// Most keys: hashed in one call from a buffer on the stack, not
		// through a hash.Hash on the heap (the same bytes, the same key).
		var buf [512]byte
		b := buf[:0]
		for _, p := range parts {
			b = append(binary.LittleEndian.AppendUint64(b, uint64(len(p))), p...)
		}
		return sha256.Sum256(b)
	}
	h := sha256.New()
	var n [8]byte
	for _, p := range parts {
		binary.LittleEndian.PutUint64(n[:], uint64(len(p)))
		h.Write(n[:])
		h.Write(p)
	}
	var k Key
	h.Sum(k[:0])
	return k
}

func (k Key) String() string { return hex.EncodeToString(k[:]) }

// magic starts every entry: the format, so a different one is a miss.
const magic = "aims-cache 2\n"

// An entry is magic, its key, the CRC-32C of its payload, and the payload.
// The checksum is there to catch a corrupt or truncated entry; it is not a
// defence against someone who can write the user's own cache folder (an
// entry is decoded by bounds-checked code either way). SHA-256 here was 5 %
// of a warm pre-commit run; CRC-32C, computed by the CPU's own instruction
// where there is one, costs a tenth of that.
const (
	entryHead = len(magic) + len(Key{}) + crcSize
	crcSize   = 4
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func entrySum(payload []byte) [crcSize]byte {
	var b [crcSize]byte
	binary.LittleEndian.PutUint32(b[:], crc32.Checksum(payload, castagnoli))
	return b
}

// Store is a cache folder: packs of entries and an index of where each
// entry is. One file per entry would be simpler, but creating ten thousand
// small files costs more than parsing them (8 s of system time for a
// 10,000-document AIMS on the machine of the README's measurements), so a
// run appends what it computed to one new pack and rewrites the index once
// (Flush). A nil *Store is a cache that is off: Get always misses and Put
// and Flush do nothing.
type Store struct {
	dir string

	mu        sync.Mutex
	loaded    bool
	index     index
	indexInfo os.FileInfo // the index file read, nil when none was
	packs     map[string]*pack
	// What this run read or wrote, for compaction: a flag per line of
	// index (a map of the 45,000 keys a warm run on 10,000 documents reads
	// cost 2 % of it), the indexes read before it with their flags, and
	// the keys put.
	usedLines []bool
	earlier   []usedIndex
	used      map[Key]bool
	pending   []byte      // entries put by this run, in the pack Flush writes
	added     map[Key]loc // their places in it (pack "")
}

// usedIndex is an index this run read entries through, and which.
type usedIndex struct {
	x    index
	used []bool
}

// pack is one pack file as a run reads it: whole, in memory, when it is
// small enough (a warm run reads nearly every entry, and one read of the
// file costs less than one per entry: 45,000 of them on 10,000 documents),
// else entry by entry.
type pack struct {
	data []byte   // the whole file, or nil
	f    *os.File // when data is nil
}

// wholePack is the largest pack read whole.
var wholePack int64 = 256 << 20

// entry returns the bytes of l; nil when they cannot be read.
func (p *pack) entry(l loc) []byte {
	if l.n > maxEntry || l.off < 0 {
		return nil
	}
	if p.data != nil {
		if l.off > int64(len(p.data)) || l.n > int64(len(p.data))-l.off {
			return nil
		}
		return p.data[l.off : l.off+l.n : l.off+l.n]
	}
	b := make([]byte, l.n)
	if _, err := p.f.ReadAt(b, l.off); err != nil {
		return nil
	}
	return b
}

// loc is where an entry is: its pack and its byte range.
type loc struct {
	pack   string
	off, n int64
}

// Dir is where the cache lives: $AIMS_CACHE_DIR when set, else aims under
// the user's cache folder ($XDG_CACHE_HOME or ~/.cache on Linux,
// ~/Library/Caches on macOS, %LocalAppData% on Windows). "" means off.
func Dir() string {
	if d, ok := os.LookupEnv(EnvDir); ok {
		if d == "off" {
			return ""
		}
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "aims")
}

// Open returns the store at dir, or nil (off) when dir is "". Nothing is
// read or created until it is used.
func Open(dir string) *Store {
	if dir == "" {
		return nil
	}
	return &Store{dir: dir, packs: map[string]*pack{}, used: map[Key]bool{}, added: map[Key]loc{}}
}

// Get returns the payload stored under k, if an intact entry for k exists.
// The payload may share memory with the store's, and so do the strings a
// Decoder reads from it: read it, never change it (the store never does).
func (s *Store) Get(k Key) ([]byte, bool) {
	if s == nil {
		return nil, false
	}
	s.mu.Lock()
	s.load()
	i, ok := s.index.find(k)
	var p *pack
	var l loc
	if ok {
		// Marked used before it is verified: compaction verifies what it
		// keeps.
		s.usedLines[i] = true
		l = s.index.loc(i)
		p = s.pack(l.pack)
	}
	s.mu.Unlock()
	if p == nil {
		return nil, false
	}
	b := p.entry(l)
	if b == nil {
		return nil, false
	}
	return verify(b, k)
}

// maxEntry bounds what one index line can make Get allocate: no entry of a
// file within the loader's limits comes near it.
const maxEntry = 1 << 30

// pack opens a pack once per run; nil when it is gone.
func (s *Store) pack(name string) *pack {
	if p, ok := s.packs[name]; ok {
		return p
	}
	var p *pack
	if f, err := os.Open(filepath.Join(s.dir, name+".pack")); err == nil {
		p = &pack{f: f}
		if st, err := f.Stat(); err == nil && st.Size() <= wholePack {
			data := make([]byte, st.Size())
			_, err := io.ReadFull(f, data)
			f.Close()
			p = &pack{data: data}
			if err != nil {
				p = nil
			}
		}
	}
	s.packs[name] = p
	return p
}

// verify checks an entry's header, key and checksum and returns its
// payload.
func verify(b []byte, k Key) ([]byte, bool) {
	if len(b) < entryHead || string(b[:len(magic)]) != magic {
		return nil, false
	}
	b = b[len(magic):]
	if !bytes.Equal(b[:len(k)], k[:]) {
		return nil, false // another key's entry
	}
	payload := b[len(k)+crcSize:]
	if sum := entrySum(payload); !bytes.Equal(b[len(k):len(k)+crcSize], sum[:]) {
		return nil, false
	}
	return payload, true
}

// Put keeps payload under k, for Flush to write.
func (s *Store) Put(k Key, payload []byte) {
	if s == nil {
		return
	}
	sum := entrySum(payload)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.added[k]; ok {
		return
	}
	off := int64(len(s.pending))
	s.pending = append(append(append(append(s.pending, magic...), k[:]...), sum[:]...), payload...)
	s.added[k] = loc{off: off, n: int64(len(s.pending)) - off}
	s.used[k] = true
}

// Flush writes the entries put since Open as one pack and adds them to the
// index. Errors are ignored: a cache that cannot be written only costs
// time. Two runs flushing at once may each lose the other's index lines
// (their entries are computed again), never an entry's integrity.
func (s *Store) Flush() {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.added) == 0 {
		return
	}
	// Private to the user: entries are derived from their repositories.
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return
	}
	name := rand.Text()[:16]
	if !writeAtomic(filepath.Join(s.dir, name+".pack"), s.pending) {
		return
	}
	// The index as it is now: another run may have flushed since this one
	// read it. Unchanged, the index read is current.
	cur := s.index
	if st, err := os.Stat(filepath.Join(s.dir, indexFile)); !s.loaded || err != nil || s.indexInfo == nil ||
		!os.SameFile(st, s.indexInfo) || st.Size() != s.indexInfo.Size() || !st.ModTime().Equal(s.indexInfo.ModTime()) {
		cur, _ = readIndexFile(s.dir)
	}
	next, packs := cur.merged(s.added, name)
	var data []byte
	if packs > maxPacks {
		m := next.toMap()
		s.compact(m, name)
		data = encodeIndex(m)
		next = parseIndex(data)
	} else {
		data = next.encoded()
	}
	s.pending, s.added = nil, map[Key]loc{}
	if !writeAtomic(filepath.Join(s.dir, indexFile), data) {
		return
	}
	// What this run wrote is the index from now on (a second Flush need
	// not read it again, and Get finds the entries just written).
	s.setIndex(next)
	s.loaded = true
	s.indexInfo, _ = os.Stat(filepath.Join(s.dir, indexFile))
}

// maxPacks is how many packs may pile up before Flush leaves only the
// entries this run used, in one pack: edits make entries stale, and this
// bounds the cache to about one AIMS's worth per repository in use.
const maxPacks = 16

// compact leaves in index only the entries this run used, copied into one
// new pack; those of newest, the pack this run wrote, are still in pending.
func (s *Store) compact(index map[Key]loc, newest string) {
	var b []byte
	kept := map[Key]loc{}
	used := maps.Clone(s.used)
	for _, u := range append(s.earlier, usedIndex{s.index, s.usedLines}) {
		for i, ok := range u.used {
			if ok {
				used[Key(u.x.key(i))] = true
			}
		}
	}
	for k := range used {
		l, ok := index[k]
		if !ok {
			continue
		}
		if l.pack == newest {
			kept[k] = loc{off: int64(len(b)), n: l.n}
			b = append(b, s.pending[l.off:l.off+l.n]...)
			continue
		}
		p := s.pack(l.pack)
		if p == nil {
			continue
		}
		entry := p.entry(l)
		if entry == nil {
			continue
		}
		if _, ok := verify(entry, k); !ok {
			continue
		}
		kept[k] = loc{off: int64(len(b)), n: l.n}
		b = append(b, entry...)
	}
	name := rand.Text()[:16]
	if !writeAtomic(filepath.Join(s.dir, name+".pack"), b) {
		return
	}
	clear(index)
	for k, l := range kept {
		l.pack = name
		index[k] = l
	}
	old, _ := filepath.Glob(filepath.Join(s.dir, "*.pack"))
	for _, p := range old {
		if filepath.Base(p) != name+".pack" {
			os.Remove(p)
		}
	}
}

const indexFile = "index"

// indexMagic starts the index; its SHA-256 ends it. Version 2: lines
// sorted by key.
const indexMagic = "aims-cache-index 2\n"

// index lines: key, pack name (16 bytes), offset and length (8 bytes each).
const indexLine = sha256.Size + 16 + 16

// index is the index as read: its lines, sorted by key, looked up by
// binary search. Building a map of a 10,000-document AIMS's 45,000 lines
// cost 4-7 % of a warm run, more than all its lookups.
type index struct {
	lines []byte            // indexLine bytes each, keys strictly increasing
	names map[string]string // the packs named, one string each
	// first[p] is the first line whose key starts with the two bytes p
	// (first[p+1] the end): keys are digests, evenly spread, so a lookup
	// compares a key or two instead of sixteen.
	first []uint32
	// file is the index file's bytes up to its digest, with room for the
	// digest, when this index was built to be written (merged).
	file []byte
}

// buckets fills x.first.
func (x *index) buckets() {
	x.first = make([]uint32, 1<<16+1)
	i := 0
	for p := range 1 << 16 {
		x.first[p] = uint32(i)
		for i < x.len() && int(x.lines[i*indexLine])<<8|int(x.lines[i*indexLine+1]) == p {
			i++
		}
	}
	x.first[1<<16] = uint32(i)
}

func (x index) len() int { return len(x.lines) / indexLine }

func (x index) key(i int) []byte { return x.lines[i*indexLine : i*indexLine+sha256.Size] }

func (x index) loc(i int) loc {
	line := x.lines[i*indexLine:]
	return loc{
		pack: x.names[string(line[sha256.Size:sha256.Size+16])],
		off:  int64(binary.LittleEndian.Uint64(line[sha256.Size+16:])),
		n:    int64(binary.LittleEndian.Uint64(line[sha256.Size+24:])),
	}
}

// find returns the line of k.
func (x index) find(k Key) (int, bool) {
	if x.len() == 0 {
		return 0, false
	}
	p := int(k[0])<<8 | int(k[1])
	lo, hi := int(x.first[p]), int(x.first[p+1])
	i, ok := sort.Find(hi-lo, func(i int) int { return bytes.Compare(k[:], x.key(lo+i)) })
	return lo + i, ok
}

func (s *Store) load() {
	if s.loaded {
		return
	}
	s.loaded = true
	x, info := readIndexFile(s.dir)
	s.setIndex(x)
	s.indexInfo = info
}

// setIndex makes x the index Get reads, keeping which entries of the one
// before this run used.
func (s *Store) setIndex(x index) {
	if slices.Contains(s.usedLines, true) {
		s.earlier = append(s.earlier, usedIndex{s.index, s.usedLines})
	}
	// A long-lived store (aims server) flushes after every run: past a
	// few, the indexes kept are folded into keys (each holds a whole
	// index file), and packs the new index does not name are let go.
	for len(s.earlier) > earlierKept {
		u := s.earlier[0]
		for i, ok := range u.used {
			if ok {
				s.used[Key(u.x.key(i))] = true
			}
		}
		s.earlier = s.earlier[1:]
	}
	for name := range s.packs {
		if _, ok := x.names[name]; !ok {
			delete(s.packs, name)
		}
	}
	s.index, s.usedLines = x, make([]bool, x.len())
}

// earlierKept is how many indexes read before the current one a store
// keeps, with which of their entries it used, for compaction.
const earlierKept = 4

// readIndexFile reads the index and what it was on disk (nil when
// missing); an empty index when it is missing, corrupt or of another
// format.
func readIndexFile(dir string) (index, os.FileInfo) {
	f, err := os.Open(filepath.Join(dir, indexFile))
	if err != nil {
		return index{}, nil
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return index{}, nil
	}
	// Read at its size: io.ReadAll's doubling allocated twice that.
	if info.Size() > maxEntry {
		return index{}, nil
	}
	b := make([]byte, info.Size())
	if _, err := io.ReadFull(f, b); err != nil {
		return index{}, nil
	}
	return parseIndex(b), info
}

// parseIndex checks an index's format, digest, order, pack names and
// ranges; an empty index when any is wrong.
func parseIndex(b []byte) index {
	if len(b) < len(indexMagic)+sha256.Size || string(b[:len(indexMagic)]) != indexMagic {
		return index{}
	}
	body, sum := b[:len(b)-sha256.Size], b[len(b)-sha256.Size:]
	if got := sha256.Sum256(body); !bytes.Equal(got[:], sum) {
		return index{}
	}
	x := index{lines: body[len(indexMagic):], names: map[string]string{}}
	if len(x.lines)%indexLine != 0 {
		return index{}
	}
	for i := range x.len() {
		if i > 0 && bytes.Compare(x.key(i-1), x.key(i)) >= 0 {
			return index{} // not sorted: lookups could miss
		}
		line := x.lines[i*indexLine:]
		if name := line[sha256.Size : sha256.Size+16]; x.names[string(name)] == "" {
			if !validPack(string(name)) {
				return index{}
			}
			x.names[string(name)] = string(name)
		}
		off := int64(binary.LittleEndian.Uint64(line[sha256.Size+16:]))
		n := int64(binary.LittleEndian.Uint64(line[sha256.Size+24:]))
		if off < 0 || n < 0 {
			return index{}
		}
	}
	x.buckets()
	return x
}

// readIndex reads the index as a map (compaction and tests).
func readIndex(dir string) map[Key]loc {
	x, _ := readIndexFile(dir)
	return x.toMap()
}

func (x index) toMap() map[Key]loc {
	m := make(map[Key]loc, x.len())
	for i := range x.len() {
		m[Key(x.key(i))] = x.loc(i)
	}
	return m
}

// merged is x with the entries of add (in pack name) added, replacing
// lines with the same key, and how many packs its lines name.
func (x index) merged(add map[Key]loc, name string) (index, int) {
	keys := slices.SortedFunc(maps.Keys(add), func(a, b Key) int { return bytes.Compare(a[:], b[:]) })
	out := make([]byte, len(indexMagic), len(indexMagic)+x.len()*indexLine+len(keys)*indexLine+sha256.Size)
	copy(out, indexMagic)
	i := 0
	for _, k := range keys {
		for ; i < x.len() && bytes.Compare(x.key(i), k[:]) < 0; i++ {
			out = append(out, x.lines[i*indexLine:(i+1)*indexLine]...)
		}
		if i < x.len() && bytes.Equal(x.key(i), k[:]) {
			i++ // replaced
		}
		l := add[k]
		l.pack = name
		out = appendLine(out, k, l)
	}
	out = append(out, x.lines[i*indexLine:]...)
	y := index{lines: out[len(indexMagic):], names: map[string]string{name: name}, file: out}
	for i := range y.len() {
		line := y.lines[i*indexLine:]
		if n := line[sha256.Size : sha256.Size+16]; y.names[string(n)] == "" {
			y.names[string(n)] = x.names[string(n)]
		}
	}
	y.buckets()
	return y, len(y.names)
}

// encoded is the index file's bytes for x.
func (x index) encoded() []byte {
	b := x.file // not copied again: 2.9 MB on 10,000 documents
	if b == nil {
		b = append(append([]byte(nil), indexMagic...), x.lines...)
	}
	sum := sha256.Sum256(b)
	return append(b, sum[:]...)
}

func appendLine(b []byte, k Key, l loc) []byte {
	b = append(b, k[:]...)
	b = append(b, l.pack...)
	b = binary.LittleEndian.AppendUint64(b, uint64(l.off))
	return binary.LittleEndian.AppendUint64(b, uint64(l.n))
}

// validPack keeps an index line from naming a file outside the cache.
func validPack(name string) bool {
	for _, c := range name {
		if !(c >= 'A' && c <= 'Z' || c >= '2' && c <= '7') { // rand.Text's alphabet
			return false
		}
	}
	return true
}

// encodeIndex is the index file's bytes for a map of entries, sorted.
func encodeIndex(m map[Key]loc) []byte {
	b := make([]byte, 0, len(indexMagic)+len(m)*indexLine+sha256.Size)
	b = append(b, indexMagic...)
	for _, k := range slices.SortedFunc(maps.Keys(m), func(a, b Key) int { return bytes.Compare(a[:], b[:]) }) {
		b = appendLine(b, k, m[k])
	}
	sum := sha256.Sum256(b)
	return append(b, sum[:]...)
}

// writeAtomic writes a file whole or not at all: aside, then renamed.
func writeAtomic(p string, b []byte) bool {
	tmp := p + ".tmp" + rand.Text()[:8]
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		os.Remove(tmp)
		return false
	}
	if err := os.Rename(tmp, p); err != nil {
		os.Remove(tmp)
		return false
	}
	return true
}

var (
	saltOnce sync.Once
	salt     []byte
)

// Salt identifies the aims build, so a result cached by one version is
// never read by another: the module version and VCS revision from the
// build information, and the running executable's size and modification
// time (a development build has no version; rebuilding it changes both).
// Callers add what else decides their results, such as the schemas.
func Salt() []byte {
	saltOnce.Do(func() {
		var b bytes.Buffer
		if bi, ok := debug.ReadBuildInfo(); ok {
			b.WriteString(bi.GoVersion + "\x00" + bi.Main.Path + "@" + bi.Main.Version + "\x00")
			for _, s := range bi.Settings {
				if s.Key == "vcs.revision" || s.Key == "vcs.modified" {
					b.WriteString(s.Key + "=" + s.Value + "\x00")
				}
			}
		}
		if exe, err := os.Executable(); err == nil {
			if st, err := os.Stat(exe); err == nil {
				fmt.Fprintf(&b, "%s\x00%d\x00%d\x00", exe, st.Size(), st.ModTime().UnixNano())
			}
		}
		salt = b.Bytes()
	})
	return salt
}
