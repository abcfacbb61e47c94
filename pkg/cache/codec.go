package cache

import (
	"encoding/binary"
	"errors"
	"math"
	"unsafe"

	"github.com/aims-dev/aims/pkg/diag"
)

// ErrCorrupt is what a Decoder reports for bytes it did not write.
var ErrCorrupt = errors.New("cache entry is corrupt")

// maxDepth bounds nesting when decoding values: an entry cannot hold a
// document deeper than the loader allows (pkg/load's MaxDepth is 100).
const maxDepth = 128

// Encoder appends plain data to a byte slice.
type Encoder struct{ B []byte }

func (e *Encoder) Uint(v uint64) { e.B = binary.AppendUvarint(e.B, v) }
func (e *Encoder) Int(v int64)   { e.B = binary.AppendVarint(e.B, v) }
func (e *Encoder) Bool(v bool) {
	if v {
		e.B = append(e.B, 1)
	} else {
		e.B = append(e.B, 0)
	}
}
func (e *Encoder) String(s string) { e.Uint(uint64(len(s))); e.B = append(e.B, s...) }

// Bytes writes b length-prefixed, for a section decoded later or not at all.
func (e *Encoder) Bytes(b []byte) { e.Uint(uint64(len(b))); e.B = append(e.B, b...) }

// Value tags.
const (
	tagNil = iota
	tagFalse
	tagTrue
	tagInt
	tagFloat
	tagString
	tagList
	tagMap
)

// Value encodes a JSON-model value (nil, bool, int64, float64, string,
// []any, map[string]any); map keys are written in the map's order, which
// does not matter to a map. It reports false on any other type.
func (e *Encoder) Value(v any) bool {
	switch v := v.(type) {
	case nil:
		e.B = append(e.B, tagNil)
	case bool:
		if v {
			e.B = append(e.B, tagTrue)
		} else {
			e.B = append(e.B, tagFalse)
		}
	case int64:
		e.B = append(e.B, tagInt)
		e.Int(v)
	case float64:
		e.B = append(e.B, tagFloat)
		e.B = binary.LittleEndian.AppendUint64(e.B, math.Float64bits(v))
	case string:
		e.B = append(e.B, tagString)
		e.String(v)
	case []any:
		e.B = append(e.B, tagList)
		e.Uint(uint64(len(v)))
		for _, x := range v {
			if !e.Value(x) {
				return false
			}
		}
	case map[string]any:
		e.B = append(e.B, tagMap)
		e.Uint(uint64(len(v)))
		for k, x := range v {
			e.String(k)
			if !e.Value(x) {
				return false
			}
		}
	default:
		return false
	}
	return true
}

// Pos encodes a position; file is the name most positions carry, written
// as one byte instead of the whole path.
func (e *Encoder) Pos(p diag.Pos, file string) {
	switch {
	case p == diag.Pos{}:
		e.B = append(e.B, 0)
		return
	case p.File == file:
		e.B = append(e.B, 1)
	default:
		e.B = append(e.B, 2)
		e.String(p.File)
	}
	e.Int(int64(p.Line))
	e.Int(int64(p.Col))
}

// Diags encodes a list of diagnostics.
func (e *Encoder) Diags(l diag.List, file string) {
	e.Uint(uint64(len(l)))
	for _, d := range l {
		e.Pos(d.Pos, file)
		e.Int(int64(d.Severity))
		e.String(d.Code)
		e.String(d.Msg)
		e.Uint(uint64(len(d.Refs)))
		for _, r := range d.Refs {
			e.String(r)
		}
		e.Uint(uint64(len(d.Related)))
		for _, p := range d.Related {
			e.Pos(p, file)
		}
	}
}

// Decoder reads what an Encoder wrote. The first problem sticks: every
// later read returns a zero value, and Err reports it.
//
// Strings are not copied: they share b's memory, which must never change
// afterwards (Store.Get's payloads never do). A warm run decodes about a
// million strings from the cache; one allocation each was a tenth of its
// memory and most of the decoder's time.
type Decoder struct {
	b   []byte
	err error
}

// NewDecoder reads b, which must not change while anything decoded from it
// is in use.
func NewDecoder(b []byte) *Decoder { return &Decoder{b: b} }

// Err is nil when everything read so far was well formed; Done adds that
// nothing is left over.
func (d *Decoder) Err() error { return d.err }

func (d *Decoder) Done() error {
	if d.err == nil && len(d.b) != 0 {
		d.err = ErrCorrupt
	}
	return d.err
}

func (d *Decoder) fail() { d.err, d.b = ErrCorrupt, nil }

func (d *Decoder) Uint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *Decoder) Int() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

// Small reads a count or a small number as an int, refusing what could
// not fit the rest of the entry: a corrupt length never allocates.
func (d *Decoder) Small() int {
	v := d.Uint()
	if v > uint64(len(d.b)) {
		d.fail()
		return 0
	}
	return int(v)
}

func (d *Decoder) IntN() int {
	v := d.Int()
	if v < math.MinInt32 || v > math.MaxInt32 {
		d.fail()
		return 0
	}
	return int(v)
}

func (d *Decoder) byte1() byte {
	if len(d.b) == 0 {
		d.fail()
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *Decoder) Bool() bool {
	switch d.byte1() {
	case 0:
		return false
	case 1:
		return true
	}
	d.fail()
	return false
}

func (d *Decoder) String() string {
	n := d.Small()
	if d.err != nil {
		return ""
	}
	if n == 0 {
		return ""
	}
	s := unsafe.String(&d.b[0], n)
	d.b = d.b[n:]
	return s
}

// Bytes reads what Encoder.Bytes wrote, without copying: the result shares
// the decoder's memory, and is read-only.
func (d *Decoder) Bytes() []byte {
	n := d.Small()
	if d.err != nil {
		return nil
	}
	b := d.b[:n:n]
	d.b = d.b[n:]
	return b
}

// Value decodes a JSON-model value.
func (d *Decoder) Value() any { return d.value(0) }

func (d *Decoder) value(depth int) any {
	if depth > maxDepth {
		d.fail()
		return nil
	}
	switch d.byte1() {
	case tagNil:
		return nil
	case tagFalse:
		return false
	case tagTrue:
		return true
	case tagInt:
		return d.Int()
	case tagFloat:
		if len(d.b) < 8 {
			d.fail()
			return nil
		}
		f := math.Float64frombits(binary.LittleEndian.Uint64(d.b))
		d.b = d.b[8:]
		return f
	case tagString:
		return d.String()
	case tagList:
		n := d.Small()
		out := make([]any, 0, n)
		for range n {
			out = append(out, d.value(depth+1))
			if d.err != nil {
				return nil
			}
		}
		return out
	case tagMap:
		n := d.Small()
		out := make(map[string]any, n)
		for range n {
			k := d.String()
			out[k] = d.value(depth + 1)
			if d.err != nil {
				return nil
			}
		}
		return out
	}
	d.fail()
	return nil
}

// Pos decodes a position written with the same file.
func (d *Decoder) Pos(file string) diag.Pos {
	var p diag.Pos
	switch d.byte1() {
	case 0:
		return p
	case 1:
		p.File = file
	case 2:
		p.File = d.String()
	default:
		d.fail()
		return p
	}
	p.Line = d.IntN()
	p.Col = d.IntN()
	return p
}

// Diags decodes a list of diagnostics.
func (d *Decoder) Diags(file string) diag.List {
	n := d.Small()
	if n == 0 {
		return nil
	}
	out := make(diag.List, 0, n)
	for range n {
		var x diag.Diagnostic
		x.Pos = d.Pos(file)
		x.Severity = diag.Severity(d.IntN())
		x.Code = d.String()
		x.Msg = d.String()
		if r := d.Small(); r > 0 {
			x.Refs = make([]string, r)
			for i := range x.Refs {
				x.Refs[i] = d.String()
			}
		}
		if r := d.Small(); r > 0 {
			x.Related = make([]diag.Pos, r)
			for i := range x.Related {
				x.Related[i] = d.Pos(file)
			}
		}
		if d.err != nil {
			return nil
		}
		out = append(out, x)
	}
	return out
}
