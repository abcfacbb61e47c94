package cache

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
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
	h := sha256.New()
	var n [8]byte
	for _, p := range parts {
		l := uint64(len(p))
		for i := range n {
			n[i] = byte(l >> (8 * i))
		}
		h.Write(n[:])
		h.Write(p)
	}
	var k Key
	h.Sum(k[:0])
	return k
}

func (k Key) String() string { return hex.EncodeToString(k[:]) }

// magic starts every entry: the format, so a different one is a miss.
const magic = "aims-cache 1\n"

// Store is a cache folder. A nil *Store is a cache that is off: Get always
// misses and Put does nothing.
type Store struct {
	dir  string
	mu   sync.Mutex
	made map[string]bool // shard folders known to exist
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

// Open returns the store at dir, or nil (off) when dir is "".
func Open(dir string) *Store {
	if dir == "" {
		return nil
	}
	return &Store{dir: dir, made: map[string]bool{}}
}

func (s *Store) path(k Key) (shard, file string) {
	h := k.String()
	shard = filepath.Join(s.dir, h[:2])
	return shard, filepath.Join(shard, h[2:])
}

// Get returns the payload stored under k, if an intact entry for k exists.
func (s *Store) Get(k Key) ([]byte, bool) {
	if s == nil {
		return nil, false
	}
	_, p := s.path(k)
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, false
	}
	return verify(b, k)
}

// verify checks an entry's header, key and digest and returns its payload.
func verify(b []byte, k Key) ([]byte, bool) {
	head := len(magic) + 2*sha256.Size
	if len(b) < head || string(b[:len(magic)]) != magic {
		return nil, false
	}
	b = b[len(magic):]
	if !bytes.Equal(b[:sha256.Size], k[:]) {
		return nil, false // another key's entry copied or renamed here
	}
	sum := sha256.Sum256(b[2*sha256.Size:])
	if !bytes.Equal(b[sha256.Size:2*sha256.Size], sum[:]) {
		return nil, false
	}
	return b[2*sha256.Size:], true
}

// Put stores payload under k. The entry appears whole or not at all
// (written aside, then renamed); errors are ignored: a cache that cannot be
// written only costs time.
func (s *Store) Put(k Key, payload []byte) {
	if s == nil {
		return
	}
	shard, p := s.path(k)
	if !s.mkdir(shard) {
		return
	}
	sum := sha256.Sum256(payload)
	b := make([]byte, 0, len(magic)+2*sha256.Size+len(payload))
	b = append(append(append(append(b, magic...), k[:]...), sum[:]...), payload...)
	tmp := p + ".tmp" + rand.Text()[:8]
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		os.Remove(tmp)
		return
	}
	if err := os.Rename(tmp, p); err != nil {
		os.Remove(tmp)
	}
}

func (s *Store) mkdir(shard string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.made[shard] {
		return true
	}
	// Private to the user: entries are derived from their repositories.
	if err := os.MkdirAll(shard, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return false
	}
	s.made[shard] = true
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
