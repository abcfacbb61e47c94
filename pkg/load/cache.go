package load

import (
	"strconv"
	"sync"

	"github.com/aims-dev/aims/pkg/cache"
	"github.com/aims-dev/aims/pkg/diag"
)

// A file's parse is cached under a key of everything it depends on: the
// aims build, the limits, whether the file sits under documents.include
// (which decides whether it is parsed at all), its name (every position
// names it) and its bytes. Which documents the parse yields is still
// decided each run by discovery, and the run's value budget is still spent:
// an entry records how many values the file expanded to.

// fileKey is the cache key of file p with content data.
func fileKey(p string, data []byte, params []byte) cache.Key {
	return cache.NewKey(fileSalt(), params, []byte(p), data)
}

// fileSalt and statSalt are the first parts of those keys, hashed once per
// run rather than once per file (the build's salt is most of a key's bytes).
var (
	fileSalt = salted("load 5")
	statSalt = salted("load stat 2")
)

func salted(kind string) func() []byte {
	return sync.OnceValue(func() []byte {
		k := cache.NewKey([]byte(kind), cache.Salt())
		return k[:]
	})
}

// keyParams is what a file's parse depends on besides its name and bytes.
func keyParams(lim Limits, included bool) []byte {
	var params []byte
	for _, v := range []int{lim.FileBytes, lim.FileValues, lim.RunBytes, lim.RunValues, MaxDepth} {
		params = strconv.AppendInt(append(params, ' '), int64(v), 10)
	}
	return strconv.AppendBool(append(params, ' '), included)
}

// statKey maps a file's identity on disk to its content key, so an
// unchanged file is not even read (see cache.Identity).
func statKey(disk, p string, id, params []byte) cache.Key {
	return cache.NewKey(statSalt(), []byte(disk), []byte(p), id, params)
}

// encodeResult writes one file's parse (before discovery resolves it).
func encodeResult(p string, r fileResult) ([]byte, bool) {
	e := &cache.Encoder{}
	e.Uint(uint64(r.values))
	e.Bool(r.declares)
	e.Diags(r.diags, p)
	e.Uint(uint64(len(r.docs)))
	for _, d := range r.docs {
		if !encodeDoc(e, d) {
			return nil, false
		}
	}
	e.Uint(uint64(len(r.undeclared)))
	for _, u := range r.undeclared {
		if !encodeDoc(e, u.doc) {
			return nil, false
		}
		e.Diags(u.diags, p)
	}
	return e.B, true
}

func encodeDoc(e *cache.Encoder, d *Document) bool {
	e.Int(int64(d.Index))
	e.String(d.Body)
	e.Int(int64(d.BodyLine))
	e.Pos(d.start, d.File)
	e.Bytes(d.posEnc) // a section of its own, decoded when first needed
	e.Bool(d.todo)
	e.Uint(uint64(len(d.raw)))
	for ptr, s := range d.raw {
		e.String(ptr)
		e.String(s)
	}
	return e.Value(d.Value)
}

// decodeResult reads what encodeResult wrote, or reports false for bytes
// it cannot have written.
func decodeResult(p string, b []byte) (fileResult, bool) {
	dec := cache.NewDecoder(b)
	var r fileResult
	r.values = dec.Small()
	r.declares = dec.Bool()
	r.diags = dec.Diags(p)
	if n := dec.Small(); n > 0 {
		r.docs = make([]*Document, 0, n)
		for range n {
			d := decodeDoc(dec, p)
			if d == nil {
				return fileResult{}, false
			}
			r.docs = append(r.docs, d)
		}
	}
	if n := dec.Small(); n > 0 {
		for range n {
			d := decodeDoc(dec, p)
			if d == nil {
				return fileResult{}, false
			}
			r.undeclared = append(r.undeclared, undeclared{d, dec.Diags(p)})
		}
	}
	if dec.Done() != nil {
		return fileResult{}, false
	}
	return r, true
}

func decodeDoc(dec *cache.Decoder, p string) *Document {
	d := &Document{File: p}
	d.Index = dec.IntN()
	d.Body = dec.String()
	d.BodyLine = dec.IntN()
	d.start = dec.Pos(p)
	d.posEnc = dec.Bytes()
	if !validPositions(d.posEnc) {
		return nil
	}
	d.todo = dec.Bool()
	n := dec.Small()
	d.raw = make(map[string]string, n)
	for range n {
		ptr := dec.String()
		d.raw[ptr] = dec.String()
	}
	m, ok := dec.Value().(map[string]any)
	if dec.Err() != nil || !ok {
		return nil
	}
	d.Value = m
	d.APIVersion, _ = m["apiVersion"].(string)
	d.Kind, _ = m["kind"].(string)
	d.ID, _ = m["id"].(string)
	return d
}

// EncodeData keeps what ReadData returned for file p (its document, nil
// when there is none, and its diagnostics) as a cache entry; false when
// the document holds values the cache cannot keep.
func EncodeData(p string, d *Document, diags diag.List) ([]byte, bool) {
	e := &cache.Encoder{}
	e.Diags(diags, p)
	e.Bool(d != nil)
	if d != nil && !encodeDoc(e, d) {
		return nil, false
	}
	return e.B, true
}

// DecodeData reads what EncodeData wrote, or reports false for bytes it
// cannot have written.
func DecodeData(p string, b []byte) (*Document, diag.List, bool) {
	dec := cache.NewDecoder(b)
	diags := dec.Diags(p)
	var d *Document
	if dec.Bool() {
		if d = decodeDoc(dec, p); d == nil {
			return nil, nil, false
		}
	}
	if dec.Done() != nil {
		return nil, nil, false
	}
	return d, diags, true
}

// decodePositions reads the positions section encodeDoc wrote.
func decodePositions(b []byte) (map[string]span, bool) {
	m := map[string]span{}
	ok := eachPosition(b, func(ptr []byte, sp span) { m[string(ptr)] = sp })
	return m, ok
}

// validPositions checks a positions section as decodePositions would read
// it, without building it: an entry is used whole or not at all.
func validPositions(b []byte) bool { return eachPosition(b, nil) }
