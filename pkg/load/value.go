package load

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/aims-dev/aims/pkg/cache"
	"github.com/aims-dev/aims/pkg/diag"
)

// Rule ids for problems found while loading.
const (
	CodeSyntax     = "AIMS-L001" // YAML syntax error
	CodeStructure  = "AIMS-L002" // duplicate key, bad key, too deep, too many aliases
	CodeNotAIMS    = "AIMS-L003" // YAML document without apiVersion/kind where AIMS documents live
	CodeBinary     = "AIMS-L004" // binary, non-UTF-8 or oversized file
	CodeYAML11Bool = "AIMS-Y001" // unquoted yes/no/on/off
)

// Rules are the checks of this stage, for `aims rules`, SARIF and docs. They
// cannot be switched off (except the YAML 1.1 warning): a document that does
// not parse cannot be analysed.
func Rules() []*diag.Rule {
	return []*diag.Rule{
		{
			ID: CodeSyntax, Severity: diag.Error, Refs: []string{"7.5.2"},
			Title: "YAML syntax error", Description: "The file is not valid YAML.",
			Why: "A file that does not parse cannot be read by aims or reliably by anyone else, so the records in it are not usable documented information (7.5.2) and none of the checks on it can run.",
			Fix: "Fix the syntax at the file:line:col in the message: usually bad indentation, a missing `:` or a value with `: ` or `#` that needs quoting (`title: \"Risk: data drift\"`); in a Markdown policy, close the front matter with a second `---` line. This rule cannot be switched off.",
		},
		{
			ID: CodeStructure, Severity: diag.Error, Refs: []string{"7.5.2"},
			Title: "Malformed structure", Description: "Duplicate keys, non-string keys, nesting or alias expansion beyond limits, or a document that is not a mapping.",
			Why: "Duplicate keys, odd key types or oversized alias expansions make a document ambiguous: different tools keep different values, so the auditor and aims could read different records (7.5.2).",
			Fix: "Remove the duplicate key (keep one value), make keys plain strings, make each document a mapping of fields (not a list or a scalar), split front matter holding several documents, and avoid deep nesting (over 100 levels) or alias chains (over 250,000 values). This rule cannot be switched off.",
		},
		{
			ID: CodeNotAIMS, Severity: diag.Error, Refs: []string{"7.5.1"},
			Title: "Not an AIMS document", Description: "A YAML document under documents.include has no apiVersion or kind. Exclude non-AIMS paths under documents.exclude.",
			Why: "aims has to know which files are AIMS records (7.5.1); a YAML document where the manifest says documents live (`documents.include`) with neither `apiVersion` nor `kind` is either an incomplete record or a foreign file mixed into the register.",
			Fix: "Add `apiVersion: aims/v1` and the right `kind` (see `aims schema`), or list the path under `documents.exclude` in `aims.yaml` (e.g. `exclude: [\"ci/\"]`), or narrow `documents.include`. Files outside `documents.include` without an `apiVersion: aims/...` are never read. This rule cannot be switched off.",
		},
		{
			ID: CodeNotChecked, Severity: diag.Warning, Refs: []string{"7.5.3"},
			Title: "AIMS document not checked", Description: "A file that looks like an AIMS document (its kind is an AIMS kind) is not read as one: it matches documents.exclude, or it has no apiVersion and lies outside documents.include.",
			Why:          "A record that looks like part of the AIMS but is silently skipped means the register the auditor sees is not the one aims checked (7.5.3): approvals, dates and references in it were never verified.",
			Fix:          "Add `apiVersion: aims/v1` to the file so it is read wherever it is, or add its folder to `documents.include` in `aims.yaml`; if it is deliberately not part of the AIMS (a copy, an archive), remove its `kind`, move it out of the repository's AIMS folder, or switch the rule off with the reason under `rules:` in `aims.yaml`.",
			Configurable: true,
		},
		{
			ID: CodeBinary, Severity: diag.Error, Refs: []string{"7.5.3"},
			Title: "Unreadable file", Description: "A binary, non-UTF-8, oversized or unreadable file.",
			Why: "Records must be available and readable when needed (7.5.3); a binary, non-UTF-8, oversized (over 8 MiB) or unreadable file where AIMS documents live cannot be checked and may not be readable by the auditor either.",
			Fix: "Save the file as UTF-8 text, fix its permissions, or move binaries and large files (PDFs, exports) out of the document paths, e.g. into `evidence/`, and reference them from a `kind: Evidence` `path`. This rule cannot be switched off.",
		},
		{
			ID: CodeYAML11Bool, Severity: diag.Warning,
			Title: "YAML 1.1 boolean", Description: "An unquoted yes/no/on/off is a string to aims but a boolean to YAML 1.1 tools; quote it.",
			Why:          "An unquoted `yes`, `no`, `on`, `off`, `y` or `n` is text to aims but true or false to YAML 1.1 tools (PyYAML, some editors and converters), so the same record means different things depending on who reads it; consistent, unambiguous documented information is what 7.5.2 asks for.",
			Fix:          "Quote the value (`answer: \"yes\"`) if you mean the text, or write `true`/`false` where the field is a boolean. If only aims and YAML 1.2 tools ever read the repository, an override in `aims.yaml` is honest, e.g. `AIMS-Y001: {severity: off, reason: \"All our tooling is YAML 1.2; values like on/off are deliberate text.\"}`.",
			Configurable: true,
		},
	}
}

// span is where a value sits and, for a mapping member, where its key
// sits, in the document's own file: line and column from 1, 0 when there
// is none. A document holds one for every value; without the file name in
// each position it is 16 bytes instead of 64, and holds nothing for the
// garbage collector to scan.
type span struct{ keyLine, keyCol, valLine, valCol int32 }

// newSpan is the span of positions in the document's file.
func newSpan(key, val diag.Pos) span {
	return span{int32(key.Line), int32(key.Col), int32(val.Line), int32(val.Col)}
}

func (s span) key(file string) diag.Pos { return position(file, s.keyLine, s.keyCol) }
func (s span) val(file string) diag.Pos { return position(file, s.valLine, s.valCol) }

func position(file string, line, col int32) diag.Pos {
	if line == 0 {
		return diag.Pos{}
	}
	return diag.Pos{File: file, Line: int(line), Col: int(col)}
}

type converter struct {
	file string
	// ptr is the JSON pointer of the value being converted: the walk
	// appends a token on the way down and cuts back to its own length, so
	// pointers are built without allocating one string per value.
	ptr []byte
	// pos holds each value's pointer and positions, npos of them, encoded
	// as Document.posEnc keeps them: a map from pointer strings to spans
	// was a third of the memory a run of 10,000 documents held, and most
	// documents never have a position asked for.
	pos    posWriter
	todo   bool              // a value holds TODO (Document.HasTODO)
	raw    map[string]string // source text of numbers, by pointer
	diags  diag.List
	nodes  int // values of the file so far, after alias expansion
	budget *budget
}

// addPos records the positions of the value at pointer ptr: its key's
// (zero for a list item or the document) and its own.
func (c *converter) addPos(ptr []byte, keyLine, keyCol, valLine, valCol int) {
	c.pos.add(ptr, keyLine, keyCol, valLine, valCol)
}

// noteScalar records what the document needs to know of a scalar value.
func (c *converter) noteScalar(v any) {
	if s, ok := v.(string); ok && !c.todo && strings.Contains(s, Placeholder) {
		c.todo = true
	}
}

// posWriter encodes the positions of a document's values as
// Document.posEnc keeps them (and the cache stores them): per value, in
// document order, its pointer as the length of the prefix it shares with
// the previous one and the rest; a byte saying which of its key's and its
// own positions follow; each as its line's distance from the line before
// and its column. Pointers in document order share most of their text and
// lines follow each other, so an entry takes about half the bytes of the
// pointer and positions written out, and positions were the largest thing
// a run of 10,000 documents held.
type posWriter struct {
	b    []byte // the entries
	prev []byte // the previous pointer
	line int    // the previous line written
	n    int    // entries
}

// Flags of an entry: which positions follow.
const (
	posKey = 1 << iota
	posVal
)

func (w *posWriter) add(ptr []byte, keyLine, keyCol, valLine, valCol int) {
	shared := 0
	for shared < len(ptr) && shared < len(w.prev) && ptr[shared] == w.prev[shared] {
		shared++
	}
	w.b = binary.AppendUvarint(w.b, uint64(shared))
	w.b = binary.AppendUvarint(w.b, uint64(len(ptr)-shared))
	w.b = append(w.b, ptr[shared:]...)
	w.prev = append(w.prev[:0], ptr...)
	var flags byte
	if keyLine != 0 {
		flags |= posKey
	}
	if valLine != 0 {
		flags |= posVal
	}
	w.b = append(w.b, flags)
	for _, p := range [2][2]int{{keyLine, keyCol}, {valLine, valCol}} {
		if p[0] != 0 {
			w.b = binary.AppendVarint(w.b, int64(p[0]-w.line))
			w.b = binary.AppendVarint(w.b, int64(p[1]))
			w.line = p[0]
		}
	}
	w.n++
}

// section is the encoded positions: the number of entries, then the
// entries, in memory of its own.
func (w *posWriter) section() []byte {
	b := make([]byte, 0, binary.MaxVarintLen64+len(w.b))
	return append(binary.AppendUvarint(b, uint64(w.n)), w.b...)
}

// eachPosition reads a positions section, calling fn (when not nil) with
// each pointer (valid until the next call) and its span; false when the
// section is corrupt: it is read with bounds checks, as everything from
// the cache.
func eachPosition(b []byte, fn func(ptr []byte, sp span)) bool {
	if b == nil {
		return false
	}
	dec := cache.NewDecoder(b)
	n := dec.Small()
	var ptr []byte
	line := 0
	for range n {
		shared := dec.Uint() // of the previous pointer, not of what follows
		rest := dec.Bytes()
		if shared > uint64(len(ptr)) {
			return false
		}
		ptr = append(ptr[:shared], rest...)
		flags := dec.Uint()
		if flags > posKey|posVal || dec.Err() != nil {
			return false
		}
		var at [2][2]int
		for i, bit := range [2]uint64{posKey, posVal} {
			if flags&bit == 0 {
				continue
			}
			l, col := line+dec.IntN(), dec.IntN()
			if l < 1 || l > math.MaxInt32 || col < 0 {
				return false
			}
			at[i], line = [2]int{l, col}, l
		}
		if fn != nil {
			fn(ptr, span{int32(at[0][0]), int32(at[0][1]), int32(at[1][0]), int32(at[1][1])})
		}
	}
	return dec.Done() == nil
}

// appendEscaped appends key as a JSON pointer token (RFC 6901).
func appendEscaped(b []byte, key string) []byte {
	if !strings.ContainsAny(key, "~/") {
		return append(b, key...)
	}
	for i := 0; i < len(key); i++ {
		switch key[i] {
		case '~':
			b = append(b, "~0"...)
		case '/':
			b = append(b, "~1"...)
		default:
			b = append(b, key[i])
		}
	}
	return b
}

// yaml11Bools are strings in YAML 1.2 (yaml.v3) but booleans to YAML 1.1
// tools such as PyYAML and some editors: the same file means two things.
var yaml11Bools = map[string]bool{"y": true, "n": true, "yes": true, "no": true, "on": true, "off": true}

// escape encodes a key as a JSON pointer token (RFC 6901).
func escape(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

// Pointer builds a JSON pointer from tokens: Pointer("controls", 3, "status").
func Pointer(tokens ...any) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		switch t := t.(type) {
		case string:
			b.WriteString(escape(t))
		case int:
			b.WriteString(strconv.Itoa(t))
		default:
			b.WriteString(escape(fmt.Sprint(t)))
		}
	}
	return b.String()
}

// FieldName names the value at a JSON pointer the way a person reads it:
// /treatment/controls/1 is treatment.controls[1]; the root is "document".
func FieldName(ptr string) string {
	if ptr == "" {
		return "document"
	}
	var b strings.Builder
	for _, t := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		t = strings.NewReplacer("~1", "/", "~0", "~").Replace(t)
		if _, err := strconv.Atoi(t); err == nil {
			b.WriteString("[" + t + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(t)
	}
	return b.String()
}
