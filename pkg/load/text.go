package load

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/load/internal/yamlscan"
)

// ErrTooLarge is returned by a file system that refuses to read a file above
// the size limit (a git revision checks the object header first).
var ErrTooLarge = errors.New("file is too large")

// prepared is one file read, checked as text and scanned, ready to parse.
type prepared struct {
	name     string
	size     int
	data     []byte // the YAML to parse: the file, or a Markdown file's front matter
	markdown bool
	body     string // Markdown body after the front matter
	bodyLine int
	diags    diag.List
	done     bool // nothing (more) to parse: refused, or not a document
	// declares says the text names an aims apiVersion: discovery reads such
	// a file wherever it is, and reports it even when it cannot be read.
	declares bool
}

func (f *prepared) refuse(pos diag.Pos, format string, args ...any) {
	f.diags.Add(pos, diag.Error, CodeStructure, format, args...)
	f.data, f.done = nil, true
}

// readFile reads p with the size limit. A problem the user can fix is a
// diagnostic; a failure to read the storage is the error.
func readFile(fsys fs.FS, p string, lim Limits) (*prepared, error) {
	data, r, err := readBytes(fsys, p, 0, lim, nil)
	if r != nil || err != nil {
		return r, err
	}
	return prepare(p, data, lim), nil
}

// readBytes reads p with the size limit: its bytes, or a file refused with
// its diagnostic, or the error of a failure to read the storage. size is
// what the walk saw (0: unknown), so the file is read into one buffer:
// buf, when it is large enough.
func readBytes(fsys fs.FS, p string, size int64, lim Limits, buf []byte) ([]byte, *prepared, error) {
	f, err := fsys.Open(p)
	if err == nil {
		defer f.Close()
		var data []byte
		data, err = readAll(io.LimitReader(f, int64(lim.FileBytes)+1), size, buf)
		if err == nil {
			return data, nil, nil
		}
	}
	if !FileProblem(err) {
		return nil, nil, fmt.Errorf("read %s: %w", p, err)
	}
	r := &prepared{name: p, done: true}
	if errors.Is(err, ErrTooLarge) {
		// Refused unread (a git blob, from its header): it may well be an
		// AIMS document, so it is reported wherever it is, as prepare does.
		r.size, r.declares = lim.FileBytes+1, true
		r.diags.Add(diag.Pos{File: p}, diag.Error, CodeBinary, "file is larger than %d MiB", lim.FileBytes>>20)
		return nil, r, nil
	}
	r.diags.Add(diag.Pos{File: p}, diag.Error, CodeBinary, "cannot read: %v", unwrapPath(err))
	return nil, r, nil
}

// readAll is io.ReadAll into a buffer of the expected size, which
// io.ReadAll grows from 512 bytes by copying (a fifth of the loader's
// allocated bytes); a file that has grown since is still read whole.
func readAll(r io.Reader, size int64, buf []byte) ([]byte, error) {
	if size <= 0 || size >= MaxFileBytes {
		return io.ReadAll(r)
	}
	data := buf[:0]
	if int64(cap(data)) < size+1 {
		data = make([]byte, 0, size+1) // +1: EOF is seen without growing
	}
	for {
		n, err := r.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return data, err
		}
		if len(data) == cap(data) {
			rest, err := io.ReadAll(r)
			return append(data, rest...), err
		}
	}
}

// fileBufs recycles the buffers document files are read into: nothing
// keeps a file's bytes once it is parsed (scalars are copied out of them,
// a Markdown body too), and reading every file into a new buffer was a
// tenth of what a check allocated.
var fileBufs = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledFile bounds the buffers kept for reuse.
const maxPooledFile = 64 << 10

// fileBuf is a buffer for a file of size bytes, from the pool when one
// there is large enough.
func fileBuf(size int64) []byte {
	if size <= 0 || size+1 > maxPooledFile {
		return nil
	}
	b := fileBufs.Get().(*[]byte)
	if int64(cap(*b)) > size {
		return (*b)[:0]
	}
	return make([]byte, 0, max(size+1, 4<<10))
}

// poisonReleased makes releaseFileBuf overwrite what it takes back, so a
// test finds anything that still reads a parsed file's bytes.
var poisonReleased = false

// releaseFileBuf gives back a buffer from fileBuf once nothing reads it.
func releaseFileBuf(b []byte) {
	if cap(b) == 0 || cap(b) > maxPooledFile {
		return
	}
	if poisonReleased {
		b = b[:cap(b)]
		for i := range b {
			b[i] = 0xff
		}
	}
	b = b[:0]
	fileBufs.Put(&b)
}

// prepare checks data as text and scans its YAML, without building a tree.
func prepare(p string, data []byte, lim Limits) *prepared {
	f := &prepared{name: p, size: len(data), data: data, declares: declares(data)}
	if len(data) > lim.FileBytes {
		f.diags.Add(diag.Pos{File: p}, diag.Error, CodeBinary, "file is larger than %d MiB", lim.FileBytes>>20)
		f.data, f.done, f.declares = nil, true, true // as readFile: reported wherever it is
		return f
	}
	if pos, what, ok := notText(data); !ok {
		pos.File = p
		f.diags.Add(pos, diag.Error, CodeBinary, "not a UTF-8 text file: %s", what)
		f.data, f.done = nil, true
		return f
	}
	lineOffset := 0
	if ext := strings.ToLower(path.Ext(p)); ext == ".md" || ext == ".markdown" {
		f.markdown, lineOffset = true, 1
		if !f.splitFrontMatter() {
			return f
		}
		// Front matter with old Mac line endings declares only once its
		// lines are lines.
		f.declares = f.declares || declares(f.data)
	}
	// No YAML construct yields more than two values per byte (aliases
	// unexpanded), so only a file of a quarter of the limit in bytes can
	// hold too many; real documents are far smaller and skip the scan.
	if len(f.data) >= lim.FileValues/4 {
		if values, _ := yamlscan.Scan(f.data, lim.FileValues); values > lim.FileValues {
			f.refuse(diag.Pos{File: p, Line: 1 + lineOffset, Col: 1}, "the file holds more than %d values; it is not read", lim.FileValues)
		}
	}
	return f
}

// notText finds the first NUL byte or invalid UTF-8 sequence: where a user
// should look, not just "somewhere in this file".
func notText(data []byte) (diag.Pos, string, bool) {
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return diag.Pos{Line: line, Col: col}, fmt.Sprintf("invalid byte 0x%02x", data[i]), false
		case r == 0:
			return diag.Pos{Line: line, Col: col}, "NUL byte", false
		case r == '\n':
			line, col = line+1, 1
		default:
			col++
		}
		i += size
	}
	return diag.Pos{}, "", true
}

// splitFrontMatter keeps the YAML front matter between a first line "---" and
// the next "---" line as the data to parse. A Markdown file without front
// matter, or whose front matter is not an AIMS document, is not a document
// (READMEs are common). Old Mac (CR-only) line endings are read as lines.
func (f *prepared) splitFrontMatter() bool {
	text := strings.ReplaceAll(string(f.data), "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	f.data, f.done = nil, true
	if !strings.HasPrefix(text, "---\n") {
		return false
	}
	rest := text[4:]
	end := -1
	for off := 0; off < len(rest); {
		nl := strings.IndexByte(rest[off:], '\n')
		line := rest[off:]
		if nl >= 0 {
			line = rest[off : off+nl]
		}
		if line == "---" || line == "..." {
			end = off
			break
		}
		if nl < 0 {
			break
		}
		off += nl + 1
	}
	if end < 0 {
		if strings.Contains(rest, "apiVersion: "+APIPrefix) {
			f.diags.Add(diag.Pos{File: f.name, Line: 1, Col: 1}, diag.Error, CodeSyntax, "front matter opened with --- is never closed")
		}
		return false
	}
	front := rest[:end]
	// The body starts after the closing "---" line, which may end the file.
	if i := strings.IndexByte(rest[end:], '\n'); i >= 0 {
		f.body = rest[end+i+1:]
	}
	f.bodyLine = 1 + 1 + strings.Count(front, "\n") + 1
	f.data, f.done = []byte(front), false
	return true
}

// parse builds the documents of a prepared file within the budget.
func (f *prepared) parse(b *budget) fileResult {
	if f.done {
		return fileResult{diags: f.diags, declares: f.declares}
	}
	if !f.markdown {
		r := parseYAML(f.name, f.data, 0, b)
		r.diags = append(f.diags, r.diags...)
		r.declares = f.declares
		return r
	}
	if !aimsFrontMatter(f.data) {
		return fileResult{diags: f.diags, declares: f.declares}
	}
	r := parseYAML(f.name, f.data, 1, b)
	r.diags = append(f.diags, r.diags...)
	r.declares = f.declares
	if len(r.docs) > 1 {
		r.diags.Add(r.docs[1].start, diag.Error, CodeStructure, "front matter must hold one document")
		r.docs = r.docs[:1]
	}
	for _, d := range append(slices.Clone(r.docs), undeclaredDocs(r.undeclared)...) {
		d.Body, d.BodyLine = f.body, f.bodyLine
	}
	return r
}

func undeclaredDocs(us []undeclared) []*Document {
	out := make([]*Document, len(us))
	for i, u := range us {
		out[i] = u.doc
	}
	return out
}

// aimsFrontMatter reports whether front matter is worth parsing as an AIMS
// document, reading the top-level keys only (no alias is expanded): it names
// an aims apiVersion, or it has a kind but no apiVersion (discovery then
// reports it when the kind is an AIMS kind). Front matter of other tools
// (title, layout) is not ours. Anything but a first document that parses
// to a mapping is worth parsing, to let parsing report the problem.
func aimsFrontMatter(front []byte) bool {
	ps := yamlscan.NewParser(front)
	defer ps.Close()
	var (
		ev         yamlscan.Event
		depth      int    // collections open
		member     int    // top-level keys and values so far
		key        string // the top-level key whose value is next
		anchors    = map[string]bool{}
		apiVersion string
		kind       bool
	)
	for {
		if ps.Next(&ev) != nil {
			return true
		}
		if ev.Anchor != nil && ev.Kind != yamlscan.Alias {
			anchors[string(ev.Anchor)] = true
		}
		switch ev.Kind {
		case yamlscan.StreamEnd:
			return true // no document
		case yamlscan.DocumentStart:
			continue
		case yamlscan.DocumentEnd:
			if apiVersion != "" {
				return strings.HasPrefix(apiVersion, APIPrefix)
			}
			return kind
		case yamlscan.Alias:
			if !anchors[string(ev.Anchor)] {
				return true // unknown anchor
			}
		case yamlscan.SequenceEnd, yamlscan.MappingEnd:
			depth--
			continue
		}
		if depth == 0 && ev.Kind != yamlscan.MappingStart {
			return true // parsing says it must be a mapping
		}
		if depth == 1 {
			// A node's text: a scalar's, an alias's name, nothing for a
			// collection.
			text := ev.Text
			if ev.Kind == yamlscan.Alias {
				text = string(ev.Anchor)
			}
			if member%2 == 0 {
				key = text
				kind = kind || text == "kind"
			} else if key == "apiVersion" {
				apiVersion = text
			}
			member++
		}
		if ev.Kind == yamlscan.SequenceStart || ev.Kind == yamlscan.MappingStart {
			depth++
		}
	}
}
