package load

import (
	"strings"
	"sync"

	"github.com/aims-dev/aims/pkg/cache"
	"github.com/aims-dev/aims/pkg/diag"
)

// Document is one AIMS document: a YAML document or the front matter of a
// Markdown file.
type Document struct {
	File       string // slash path relative to the AIMS root
	Index      int    // position within a multi-document file, from 0
	APIVersion string
	Kind       string
	ID         string
	Value      map[string]any
	Body       string // Markdown body after the front matter
	BodyLine   int    // line where Body starts

	// posEnc holds each pointer's key and value positions, encoded as the
	// cache keeps them, and posMap the same decoded on first use: most
	// runs report on few documents, and a map of every document's
	// positions was a third of what a run of 10,000 documents held and a
	// tenth of a warm pre-commit run's time. Read them through
	// positions().
	posEnc  []byte
	posMap  map[string]span
	posOnce sync.Once
	raw     map[string]string
	kept    Fields // what Project kept of Value
	todo    bool   // see HasTODO
	start   diag.Pos
	key     cache.Key // of the file's bytes and this document's index, when loaded with a cache
}

// CacheKey identifies the document's content (its file's name and bytes,
// its index, the aims build and limits) for results derived from it alone,
// such as its schema diagnostics; false when it was loaded without a cache.
func (d *Document) CacheKey() (cache.Key, bool) { return d.key, d.key != cache.Key{} }

// positions decodes the positions on first use (see posMap).
func (d *Document) positions() map[string]span {
	d.posOnce.Do(func() {
		d.posMap, _ = decodePositions(d.posEnc)
	})
	return d.posMap
}

// Raw returns the source text of the number at ptr, as written.
func (d *Document) Raw(ptr string) (string, bool) {
	s, ok := d.raw[ptr]
	return s, ok
}

// Placeholder is the text templates and `aims new` leave where a person
// still has to write something.
const Placeholder = "TODO"

// HasTODO reports whether a value of the document (not its Markdown body)
// holds Placeholder. It is worked out while the document is read and kept
// in the cache, so rules that ask it of every document walk no values.
func (d *Document) HasTODO() bool { return d.todo }

// Start is where the document begins (its first key).
func (d *Document) Start() diag.Pos { return d.start }

// At is the best place to report a problem with the value at ptr: its key for
// a mapping member, else the value itself. A pointer that does not exist (a
// missing field) falls back to its nearest existing parent, so a problem is
// never reported without a position.
func (d *Document) At(ptr string) diag.Pos {
	for {
		if sp, ok := d.positions()[ptr]; ok {
			if sp.keyLine != 0 {
				return sp.key(d.File)
			}
			if sp.valLine != 0 {
				return sp.val(d.File)
			}
		}
		if ptr == "" {
			return d.start
		}
		ptr = ptr[:strings.LastIndexByte(ptr, '/')]
	}
}

// ValueAt is the position of the value at ptr itself (for a wrong type or enum
// value, point at the value, not its key), falling back like At.
func (d *Document) ValueAt(ptr string) diag.Pos {
	if sp, ok := d.positions()[ptr]; ok && sp.valLine != 0 {
		return sp.val(d.File)
	}
	return d.At(ptr)
}

// Has reports whether ptr exists in the document.
func (d *Document) Has(ptr string) bool {
	_, ok := d.positions()[ptr]
	return ok
}

// Name is a short human name for the document: its id, else its file.
func (d *Document) Name() string {
	if d.ID != "" {
		return d.ID
	}
	return d.File
}

// String returns the string at key, "" when absent or not a string.
func (d *Document) String(key string) string {
	s, _ := d.Value[key].(string)
	return s
}
