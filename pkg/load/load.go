package load

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"runtime"
	"strings"
	"sync"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/aims-dev/aims/pkg/diag"
)

// ManifestFile is the file that marks an AIMS root.
const ManifestFile = "aims.yaml"

// APIPrefix starts the apiVersion of every AIMS document.
const APIPrefix = "aims/"

// Set is everything loaded from one AIMS.
type Set struct {
	FS    fs.FS       // the AIMS root, for checking evidence paths
	Docs  []*Document // sorted by file, then index
	Files []string    // every regular file under the root (slash paths), sorted
	Diags diag.List
}

// Options tune Load.
type Options struct {
	// Exclude holds patterns of paths whose YAML is not AIMS documents
	// (evidence, tool configuration). "dir/" or "dir/**" excludes a
	// folder, other patterns use path.Match on the whole path or "**/" to
	// match at any depth. When nil, the manifest's documents.exclude is used,
	// else DefaultExclude.
	Exclude []string
	// Include holds patterns (as Exclude) of paths where a YAML document
	// without apiVersion is still read as an AIMS document. When nil, the
	// manifest's documents.include is used (default: nowhere).
	Include []string
	// Kinds are the AIMS document kinds, to report a document outside
	// Include that lacks apiVersion instead of skipping it silently.
	Kinds []string
	// Workers parse files in parallel; 0 means GOMAXPROCS.
	Workers int
}

// DefaultExclude keeps evidence files (test results, reports) out of the
// documents: they are read as evidence, not validated as AIMS documents.
var DefaultExclude = []string{"evidence/"}

// skipDir reports folders that never hold AIMS documents: hidden folders
// (.git, .github, .aims) and dependency trees.
func skipDir(name string) bool {
	return strings.HasPrefix(name, ".") && name != "." || name == "node_modules" || name == "vendor"
}

// Load reads every AIMS document under the root of fsys. Problems in the
// user's files are diagnostics; the error is only for failures to read.
func Load(fsys fs.FS, opts Options) (*Set, error) {
	set := &Set{FS: fsys}
	include, exclude := manifestDocuments(fsys)
	if opts.Include != nil {
		include = opts.Include
	}
	if opts.Exclude != nil {
		exclude = opts.Exclude
	}
	disc := discovery{include: include, exclude: exclude, kinds: opts.Kinds}
	var candidates []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "." {
				return err
			}
			set.Diags.Add(diag.Pos{File: p}, diag.Error, CodeBinary, "cannot read: %v", unwrapPath(err))
			return nil
		}
		if d.IsDir() {
			if p != "." && skipDir(d.Name()) {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil // symlinks and devices are never followed
		}
		set.Files = append(set.Files, p)
		switch strings.ToLower(path.Ext(p)) {
		case ".yaml", ".yml", ".md", ".markdown":
			if !hidden(p) {
				candidates = append(candidates, p)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read AIMS: %w", err)
	}

	results := make([]fileResult, len(candidates))
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(workers, max(len(candidates), 1)) {
		wg.Go(func() {
			for i := range next {
				results[i] = disc.resolve(candidates[i], parseFile(fsys, candidates[i], disc.worthParsing(candidates[i])))
			}
		})
	}
	for i := range candidates {
		next <- i
	}
	close(next)
	wg.Wait()

	for _, r := range results {
		set.Docs = append(set.Docs, r.docs...)
		set.Diags = append(set.Diags, r.diags...)
	}
	return set, nil
}

// Excluded reports whether p matches one of the patterns (see Options.Exclude).
func Excluded(p string, patterns []string) bool {
	for _, pat := range patterns {
		pat = strings.TrimPrefix(pat, "./")
		switch {
		case pat == "**":
			return true
		case strings.HasSuffix(pat, "/**"):
			if strings.HasPrefix(p, strings.TrimSuffix(pat, "**")) {
				return true
			}
		case strings.HasSuffix(pat, "/"):
			if strings.HasPrefix(p, pat) {
				return true
			}
		case strings.HasPrefix(pat, "**/"):
			rest := pat[3:]
			for q := p; ; {
				if ok, _ := path.Match(rest, q); ok {
					return true
				}
				i := strings.IndexByte(q, '/')
				if i < 0 {
					break
				}
				q = q[i+1:]
			}
		default:
			if ok, _ := path.Match(pat, p); ok {
				return true
			}
		}
	}
	return false
}

type fileResult struct {
	docs       []*Document
	diags      diag.List
	undeclared []undeclared // documents without apiVersion, see discovery.resolve
	declares   bool         // the text declares an aims apiVersion
}

// parseFile reads and parses one file. worth, when not nil, says from the
// text whether parsing can yield anything (see discovery.worthParsing).
func parseFile(fsys fs.FS, p string, worth func([]byte) bool) (r fileResult) {
	f, err := fsys.Open(p)
	if err != nil {
		r.diags.Add(diag.Pos{File: p}, diag.Error, CodeBinary, "cannot read: %v", unwrapPath(err))
		return r
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		r.diags.Add(diag.Pos{File: p}, diag.Error, CodeBinary, "cannot read: %v", unwrapPath(err))
		return r
	}
	// A file that cannot be read as text is still reported when it declares
	// an aims apiVersion (or sits under documents.include): an AIMS document
	// saved in another encoding must not vanish silently.
	if len(data) > MaxFileBytes {
		r.diags.Add(diag.Pos{File: p}, diag.Error, CodeBinary, "file is larger than %d MiB", MaxFileBytes>>20)
		r.declares = declaresAIMS.Match(data)
		return r
	}
	if bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data) {
		r.diags.Add(diag.Pos{File: p, Line: 1, Col: 1}, diag.Error, CodeBinary, "not a UTF-8 text file")
		r.declares = declaresAIMS.Match(data)
		return r
	}
	if worth != nil && !worth(data) {
		return r
	}
	return parseBytes(p, data)
}

func parseBytes(p string, data []byte) fileResult {
	var r fileResult
	if ext := strings.ToLower(path.Ext(p)); ext == ".md" || ext == ".markdown" {
		r = parseMarkdown(p, data)
	} else {
		r = parseYAML(p, data, 0)
	}
	r.declares = declaresAIMS.Match(data)
	return r
}

// ParseBytes parses the AIMS documents in one file's content, such as an
// older version read from git.
func ParseBytes(name string, data []byte) ([]*Document, diag.List) {
	r := discovery{include: []string{"**"}}.resolve(name, parseBytes(name, data))
	return r.docs, r.diags
}

// parseYAML parses every document in data. lineOffset shifts positions for
// front matter, which starts below the opening "---" of a Markdown file.
func parseYAML(p string, data []byte, lineOffset int) (r fileResult) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for i := 0; ; i++ {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return r
		}
		if err != nil {
			r.diags = append(r.diags, syntaxDiag(p, data, err, lineOffset))
			return r
		}
		if len(n.Content) == 0 {
			continue // an empty document between "---" lines
		}
		doc, diags := convertDoc(p, i, &n, lineOffset)
		if doc == nil {
			r.diags = append(r.diags, diags...)
			continue
		}
		if doc.APIVersion == "" {
			r.undeclared = append(r.undeclared, undeclared{doc, diags})
			continue // a document or not depending on where the file is
		}
		if !strings.HasPrefix(doc.APIVersion, APIPrefix) {
			continue // some other tool's YAML
		}
		r.diags = append(r.diags, diags...)
		r.docs = append(r.docs, doc)
	}
}

func convertDoc(p string, index int, n *yaml.Node, lineOffset int) (*Document, diag.List) {
	if lineOffset != 0 {
		shift(n, lineOffset, map[*yaml.Node]bool{})
	}
	c := &converter{file: p, pos: map[string]span{}, raw: map[string]string{}}
	v, ok := c.convert(n, "", 0)
	if !ok {
		return nil, c.diags
	}
	root := n.Content[0]
	start := diag.Pos{File: p, Line: root.Line, Col: root.Column}
	m, isMap := v.(map[string]any)
	if !isMap {
		c.diags.Add(start, diag.Error, CodeStructure, "a document must be a mapping of fields, not a %s", kindName(root))
		return nil, c.diags
	}
	d := &Document{File: p, Index: index, Value: m, pos: c.pos, raw: c.raw, start: start}
	d.APIVersion, _ = m["apiVersion"].(string)
	d.Kind, _ = m["kind"].(string)
	d.ID, _ = m["id"].(string)
	return d, c.diags
}

func shift(n *yaml.Node, by int, seen map[*yaml.Node]bool) {
	if seen[n] {
		return
	}
	seen[n] = true
	n.Line += by
	for _, c := range n.Content {
		shift(c, by, seen)
	}
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return "single value"
	}
	return "value"
}

// syntaxDiag turns a yaml.v3 error ("yaml: line 7: did not find expected key")
// into a positioned diagnostic.
// yaml.v3 reports only a line; the column is that line's first non-blank
// character, which is where an editor should put the cursor.
func syntaxDiag(p string, data []byte, err error, lineOffset int) diag.Diagnostic {
	msg := err.Error()
	line := 0
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if i := strings.Index(rest, ": "); i > 0 {
			if _, err := fmt.Sscanf(rest[:i], "%d", &line); err == nil {
				msg = rest[i+2:]
			}
		}
	}
	lines := strings.Split(string(data), "\n")
	if line == 0 {
		// Some yaml.v3 errors carry no line. "end of stream" happens where
		// the file ends; anything else is placed on the first line rather
		// than nowhere.
		line = 1
		if strings.Contains(msg, "end of stream") {
			line = len(lines)
			if line > 1 && lines[line-1] == "" {
				line--
			}
		}
	}
	pos := diag.Pos{File: p, Line: line + lineOffset, Col: 1}
	if line <= len(lines) {
		pos.Col = len(lines[line-1]) - len(strings.TrimLeft(lines[line-1], " \t")) + 1
	}
	return diag.Diagnostic{Pos: pos, Severity: diag.Error, Code: CodeSyntax, Msg: "YAML syntax: " + msg}
}

// parseMarkdown reads YAML front matter between a first line "---" and the
// next "---" line. A Markdown file without front matter, or whose front matter
// is not an AIMS document, is not a document (READMEs are common).
func parseMarkdown(p string, data []byte) (r fileResult) {
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	if !strings.HasPrefix(text, "---\n") {
		return r
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
			r.diags.Add(diag.Pos{File: p, Line: 1, Col: 1}, diag.Error, CodeSyntax, "front matter opened with --- is never closed")
		}
		return r
	}
	front := rest[:end]
	var probe struct {
		APIVersion string `yaml:"apiVersion"`
		Kind       any    `yaml:"kind"`
	}
	// Front matter of other tools (title, layout) is not ours; one with a
	// kind but no apiVersion is left to discovery, which reports it when
	// the kind is an AIMS kind.
	if yaml.Unmarshal([]byte(front), &probe) == nil && !strings.HasPrefix(probe.APIVersion, APIPrefix) &&
		(probe.APIVersion != "" || probe.Kind == nil) {
		return r
	}
	fr := parseYAML(p, []byte(front), 1)
	if len(fr.docs) > 1 {
		fr.diags.Add(fr.docs[1].start, diag.Error, CodeStructure, "front matter must hold one document")
		fr.docs = fr.docs[:1]
	}
	// The body starts after the closing "---" line, which may end the file.
	body := ""
	if i := strings.IndexByte(rest[end:], '\n'); i >= 0 {
		body = rest[end+i+1:]
	}
	bodyLine := 1 + 1 + strings.Count(front, "\n") + 1
	for _, d := range fr.docs {
		d.Body, d.BodyLine = body, bodyLine
	}
	return fr
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ReadData reads and parses one YAML or JSON file that is not an AIMS
// document, such as a CI result linked as evidence, with the same limits and
// positions as AIMS documents.
func ReadData(fsys fs.FS, p string) (*Document, diag.List) {
	var diags diag.List
	f, err := fsys.Open(p)
	if err != nil {
		diags.Add(diag.Pos{File: p}, diag.Error, CodeBinary, "cannot read: %v", unwrapPath(err))
		return nil, diags
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	switch {
	case err != nil:
		diags.Add(diag.Pos{File: p}, diag.Error, CodeBinary, "cannot read: %v", unwrapPath(err))
		return nil, diags
	case len(data) > MaxFileBytes:
		diags.Add(diag.Pos{File: p}, diag.Error, CodeBinary, "file is larger than %d MiB", MaxFileBytes>>20)
		return nil, diags
	case bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data):
		diags.Add(diag.Pos{File: p, Line: 1, Col: 1}, diag.Error, CodeBinary, "not a UTF-8 text file")
		return nil, diags
	}
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		diags = append(diags, syntaxDiag(p, data, err, 0))
		return nil, diags
	}
	if len(n.Content) == 0 {
		diags.Add(diag.Pos{File: p, Line: 1, Col: 1}, diag.Error, CodeStructure, "file is empty")
		return nil, diags
	}
	return convertDoc(p, 0, &n, 0)
}
