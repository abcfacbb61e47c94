package load

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/aims-dev/aims/pkg/cache"
	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/load/internal/yamlscan"
)

// ManifestFile is the file that marks an AIMS root.
const ManifestFile = "aims.yaml"

// APIPrefix starts the apiVersion of every AIMS document.
const APIPrefix = "aims/"

// Set is everything loaded from one AIMS.
type Set struct {
	FS    fs.FS       // the AIMS root, for checking evidence paths
	Docs  []*Document // sorted by file, then index
	Diags diag.List
	// Cached counts the files whose parse came from the cache.
	Cached int
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
	// Limits bound what the files may cost; zero fields take DefaultLimits.
	Limits Limits
	// Cache holds files' parses from earlier runs (nil: none); a file whose
	// bytes, name, place and limits match an entry is not parsed again.
	// New parses are added to it; the caller flushes it.
	Cache *cache.Store
	// Disk is the absolute folder fsys reads, when it is one: with a
	// cache, a file whose identity on disk (inode, size, times) is the one
	// recorded with its content is not read at all. Start is when the run
	// began; a file changed shortly before it is always read.
	Disk  string
	Start time.Time
	// Memo, when set with Disk, keeps parses in memory between loads by a
	// long-lived process: an unchanged file's parse is taken from it
	// before the cache is asked, as the same documents (see Memo).
	Memo *Memo
	// Each, when set, is called once for every document the set will
	// hold, by the worker that parsed it, as soon as its file is parsed:
	// what is derived there from a document's values (its schema
	// diagnostics, its typed struct, the fields later stages read) can
	// be kept while the values themselves are let go (Document.Project),
	// so a run never holds the values of every document at once. Each
	// must be safe for concurrent use. A document read again after the
	// run ran out of its budget of values (only aims.yaml is) is passed
	// to Each again.
	Each func(*Document)
	// Parsed, when set, is called each time a file is parsed rather than
	// taken from the cache, from the worker that parsed it: what a run
	// holds grows with what it parses (see cmd/aims, gc.go). Found, when
	// set, is called once the walk has listed the AIMS, while files are
	// still being parsed, with the number of files it will read where
	// documents live (outside documents.exclude).
	Parsed func()
	Found  func(files int)
}

// DefaultExclude keeps evidence files (test results, reports) out of the
// documents: they are read as evidence, not validated as AIMS documents.
var DefaultExclude = []string{"evidence/"}

// SkipDir reports the folders, by name, that the walk of an AIMS never
// enters, since they never hold AIMS documents: hidden folders (.git,
// .github, .aims) and dependency trees.
func SkipDir(name string) bool {
	return strings.HasPrefix(name, ".") && name != "." || name == "node_modules" || name == "vendor"
}

// Load reads every AIMS document under the root of fsys. Problems in the
// user's files are diagnostics; the error is only for failures to read.
//
// Files are admitted in path order while the run's byte budget lasts, read,
// checked (a large file's values are counted by a scan before any tree is
// built) and only then parsed, with one budget of values for the whole run:
// no file, and no number of files, costs more than the limits allow, and
// which files are refused does not depend on timing.
func Load(fsys fs.FS, opts Options) (*Set, error) {
	set := &Set{FS: fsys}
	lim := opts.Limits.orDefault()
	include, exclude := manifestDocuments(fsys, lim)
	if opts.Include != nil {
		include = opts.Include
	}
	if opts.Exclude != nil {
		exclude = opts.Exclude
	}
	disc := discovery{include: include, exclude: exclude, kinds: opts.Kinds}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	// What a parse depends on besides the file: the same for every file
	// but whether it is included.
	paramsOf := map[bool][]byte{false: keyParams(lim, false), true: keyParams(lim, true)}
	// Aliases expand only while parsing; one counter for the whole run
	// stops every worker once the AIMS as a whole expands too far.
	var expanded atomic.Int64
	b := &budget{lim: lim, run: &expanded}
	// Files are read (or their cached parse decoded) and parsed by workers
	// while the walk goes on, so the walk's system calls and the parsing
	// overlap, and a file's bytes and values are let go as soon as it is
	// parsed (Each). The walk is never held up by the workers: it lists
	// the AIMS long before they are done, and Found learns its size.
	work := newQueue()
	if opts.Memo != nil {
		opts.Memo.begin()
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				f, ok := work.pop()
				if !ok {
					return
				}
				f.read(fsys, opts, lim, disc, paramsOf)
				if f.err == nil {
					f.parse(opts, disc, b)
				}
			}
		})
	}
	found := 0
	// Files are admitted in path order while the run's byte budget lasts,
	// before any is read: memory never holds more than the budget.
	var bytesIn int64
	full := false
	err := walkDir(fsys, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "." || !FileProblem(err) {
				return err
			}
			set.Diags.Add(diag.Pos{File: p}, diag.Error, CodeBinary, "cannot read: %v", unwrapPath(err))
			return nil
		}
		if d.IsDir() {
			if p != "." && SkipDir(d.Name()) {
				return fs.SkipDir
			}
			return nil
		}
		document := false
		switch strings.ToLower(path.Ext(p)) {
		case ".yaml", ".yml", ".md", ".markdown":
			// Which of these are documents is discovery's to say once
			// they are read (see discover.go); hidden files never are.
			document = !hidden(p)
		}
		if !d.Type().IsRegular() {
			// Symlinks and devices are never followed; a linked document
			// would otherwise vanish from the AIMS without a word.
			if document && d.Type()&fs.ModeSymlink != 0 {
				// Whether it is a document cannot be known without following
				// it, so a link anywhere but under documents.exclude is an
				// error rather than a silent gap.
				if disc.place(p) != placeExcluded {
					set.Diags.Add(diag.Pos{File: p}, diag.Error, CodeBinary, "symbolic link not read: aims never follows links; put the document itself here")
				}
			}
			return nil
		}
		if document && !full {
			info, err := d.Info()
			if err != nil {
				if !FileProblem(err) {
					return fmt.Errorf("stat %s: %w", p, err)
				}
				set.Diags.Add(diag.Pos{File: p}, diag.Error, CodeBinary, "cannot read: %v", unwrapPath(err))
				return nil
			}
			bytesIn += min(info.Size(), int64(lim.FileBytes)+1)
			if bytesIn > int64(lim.RunBytes) {
				set.Diags.Add(diag.Pos{File: p}, diag.Error, CodeBinary,
					"the AIMS holds more than %d MiB of documents in all; this file and the rest are not read", lim.RunBytes>>20)
				full = true
				return nil
			}
			work.push(&loading{name: p, size: info.Size(), info: info})
			if disc.place(p) != placeExcluded {
				found++
			}
		}
		return nil
	})
	work.close()
	if err == nil && opts.Found != nil {
		opts.Found(found)
	}
	wg.Wait()
	files := work.items
	if err != nil {
		return nil, fmt.Errorf("read AIMS: %w", err)
	}
	errs := make([]error, len(files))
	for i, f := range files {
		errs[i] = f.err
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if opts.Memo != nil {
		opts.Memo.end()
	}

	results := make([]fileResult, len(files))
	for i, l := range files {
		results[i] = l.result
	}
	if expanded.Load() > int64(lim.RunValues) {
		set.Diags.Add(diag.Pos{File: ManifestFile}, diag.Error, CodeStructure,
			"the AIMS holds more than %d values in all, aliases expanded; only %s was read", lim.RunValues, ManifestFile)
		for i, l := range files {
			f := l.file
			switch {
			case f.name == ManifestFile && l.hit:
				results[i] = disc.resolve(f.name, l.cached)
			case f.name == ManifestFile:
				var fresh atomic.Int64 // its result must not depend on which worker ran out first
				results[i] = disc.resolve(f.name, f.parse(&budget{lim: lim, run: &fresh}))
				if opts.Each != nil {
					for _, d := range results[i].docs {
						opts.Each(d)
					}
				}
			default:
				results[i] = fileResult{diags: onlyCode(results[i].diags, CodeBinary)}
			}
		}
	}
	for i, r := range results {
		if files[i].hit {
			set.Cached++
		}
		set.Docs = append(set.Docs, r.docs...)
		set.Diags = append(set.Diags, r.diags...)
	}
	return set, nil
}

// walkDir is fs.WalkDir(fsys, ".", fn), joining each folder's path and an
// entry's name without path.Join's cleaning (neither needs it: a listing's
// names hold no slash and are never "." or ".."): it was half of a walk
// answered from memory (aims server).
func walkDir(fsys fs.FS, fn fs.WalkDirFunc) error {
	info, err := fs.Stat(fsys, ".")
	if err != nil {
		err = fn(".", nil, err)
	} else {
		err = walkIn(fsys, ".", fs.FileInfoToDirEntry(info), fn)
	}
	if err == fs.SkipDir || err == fs.SkipAll {
		return nil
	}
	return err
}

func walkIn(fsys fs.FS, name string, d fs.DirEntry, fn fs.WalkDirFunc) error {
	if err := fn(name, d, nil); err != nil || !d.IsDir() {
		if err == fs.SkipDir && d.IsDir() {
			err = nil
		}
		return err
	}
	ents, err := fs.ReadDir(fsys, name)
	if err != nil {
		if err = fn(name, d, err); err != nil {
			if err == fs.SkipDir && d.IsDir() {
				err = nil
			}
			return err
		}
	}
	for _, e := range ents {
		p := e.Name()
		if name != "." {
			p = name + "/" + p
		}
		if err := walkIn(fsys, p, e, fn); err != nil {
			if err == fs.SkipDir {
				break
			}
			return err
		}
	}
	return nil
}

// loading is a document file on its way in: found by the walk, then read
// (or its parse taken from the cache) by a worker.
type loading struct {
	name string
	size int64
	info fs.FileInfo

	file   *prepared
	err    error
	key    cache.Key // of the file's content, when cached
	sk     cache.Key // of the file's identity on disk, when it has one
	cached fileResult
	hit    bool       // cached is the file's parse
	memoed bool       // from opts.Memo
	result fileResult // what the file holds, once parsed
	buf    []byte     // the file's bytes as read, from fileBuf
}

// read reads the file, or takes its parse from the cache when its
// identity on disk or its content is known there.
func (l *loading) read(fsys fs.FS, opts Options, lim Limits, disc discovery, paramsOf map[bool][]byte) {
	p := l.name
	var params []byte
	var sk cache.Key
	if opts.Cache != nil || opts.Memo != nil {
		included := disc.place(p) == placeIncluded
		params = paramsOf[included]
		var id []byte
		ok := false
		if opts.Memo != nil && opts.Disk != "" {
			sk, ok = opts.Memo.key(p, l.info, included)
		}
		if !ok {
			if id, ok = cache.Identity(l.info, opts.Start); ok && opts.Disk != "" {
				sk = statKey(opts.Disk, p, id, params)
				if opts.Memo != nil {
					opts.Memo.keepKey(p, l.info, included, sk)
				}
			}
		}
		if ok && opts.Disk != "" {
			l.sk = sk
			if opts.Memo != nil {
				if r, ok := opts.Memo.get(sk); ok {
					l.cached, l.hit, l.memoed = r, true, true
					l.file = &prepared{name: p, size: int(l.size), done: true}
					return
				}
			}
			if k, ok := opts.Cache.Get(sk); ok && len(k) == len(l.key) {
				copy(l.key[:], k)
				if b, ok := opts.Cache.Get(l.key); ok {
					l.cached, l.hit = decodeResult(p, b)
				}
				if l.hit {
					l.file = &prepared{name: p, size: int(l.size), done: true}
					return
				}
			}
		}
	}
	data, r, err := readBytes(fsys, p, l.size, lim, fileBuf(l.size))
	if r != nil || err != nil {
		l.file, l.err, l.key = r, err, cache.Key{}
		return
	}
	if opts.Cache != nil {
		l.key = fileKey(p, data, params)
		if sk != (cache.Key{}) {
			opts.Cache.Put(sk, l.key[:])
		}
		if b, ok := opts.Cache.Get(l.key); ok {
			l.cached, l.hit = decodeResult(p, b)
		}
		if l.hit {
			l.file = &prepared{name: p, size: len(data), done: true}
			releaseFileBuf(data)
			return
		}
	}
	l.file = prepare(p, data, lim)
	if p != ManifestFile {
		l.buf = data // released once parsed (aims.yaml may be parsed again)
	}
}

// queue hands the files the walk finds to the workers, in the order found,
// without ever blocking the walk.
type queue struct {
	mu    sync.Mutex
	more  sync.Cond
	items []*loading
	next  int
	done  bool
}

func newQueue() *queue {
	q := &queue{}
	q.more.L = &q.mu
	return q
}

func (q *queue) push(l *loading) {
	q.mu.Lock()
	q.items = append(q.items, l)
	q.mu.Unlock()
	q.more.Signal()
}

// close says nothing more comes; items is then every file pushed.
func (q *queue) close() {
	q.mu.Lock()
	q.done = true
	q.mu.Unlock()
	q.more.Broadcast()
}

// pop is the next file, waiting for one; false once closed and empty.
func (q *queue) pop() (*loading, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.next == len(q.items) && !q.done {
		q.more.Wait()
	}
	if q.next == len(q.items) {
		return nil, false
	}
	q.next++
	return q.items[q.next-1], true
}

// parse parses the file read (or takes the parse read from the cache),
// caches a new parse, and passes its documents to opts.Each.
func (l *loading) parse(opts Options, disc discovery, b *budget) {
	f := l.file
	var r fileResult
	switch {
	case l.hit:
		// Parsed by an earlier run within the same limits; its values
		// still count against this run's budget.
		r = l.cached
		b.run.Add(int64(r.values))
	default:
		if worth := disc.worthParsing(f.name); worth != nil && !f.done && !worth(f.data) {
			f.done = true // neither declares nor looks like an AIMS document
		}
		r = f.parse(b)
		if opts.Parsed != nil && !f.done {
			opts.Parsed()
		}
		// A parse that ran out of the run's budget depends on the
		// other files and is not cached; the counter only grows, so a
		// run within budget after this file was within it throughout.
		if opts.Cache != nil && l.key != (cache.Key{}) && !b.over() {
			if enc, ok := encodeResult(f.name, r); ok {
				opts.Cache.Put(l.key, enc)
			}
		}
	}
	if l.key != (cache.Key{}) {
		for j, d := range append(slices.Clone(r.docs), undeclaredDocs(r.undeclared)...) {
			d.key = cache.NewKey(l.key[:], []byte(strconv.Itoa(j)))
		}
	}
	if opts.Memo != nil && !l.memoed && l.sk != (cache.Key{}) && !b.over() {
		opts.Memo.put(l.sk, r)
	}
	l.result = disc.resolve(f.name, r)
	if f.name != ManifestFile {
		// Parsed (aims.yaml may be parsed again, see Load): the
		// file's bytes are not needed any more.
		f.data = nil
		releaseFileBuf(l.buf)
		l.buf = nil
	}
	if opts.Each != nil {
		for _, d := range l.result.docs {
			opts.Each(d)
		}
	}
}

func onlyCode(l diag.List, code string) diag.List {
	var out diag.List
	for _, d := range l {
		if d.Code == code {
			out = append(out, d)
		}
	}
	return out
}

// FileProblem tells a problem with one file the user can fix (missing, no
// permission, a link, too large) from a failure to read the storage itself,
// such as a corrupt git object, which must stop the run rather than look
// like a finding.
func FileProblem(err error) bool {
	return errors.Is(err, fs.ErrPermission) || errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrInvalid) ||
		errors.Is(err, syscall.EISDIR) || errors.Is(err, syscall.ELOOP) || errors.Is(err, syscall.ENAMETOOLONG) ||
		errors.Is(err, ErrTooLarge)
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
	values     int          // values parsed, aliases expanded: what the file cost the run's budget
}

// ParseBytes parses the AIMS documents in one file's content, such as an
// older version read from git, with the default limits.
func ParseBytes(name string, data []byte) ([]*Document, diag.List) {
	lim := Limits{}.orDefault()
	f := prepare(name, data, lim)
	var n atomic.Int64
	r := discovery{include: []string{"**"}}.resolve(name, f.parse(&budget{lim: lim, run: &n}))
	return r.docs, r.diags
}

// document makes the Document of a converted value, which must be a mapping;
// start is where its root value is and kind names that value's kind.
func (c *converter) document(p string, index int, v any, start diag.Pos, kind string) (*Document, diag.List) {
	m, isMap := v.(map[string]any)
	if !isMap {
		c.diags.Add(start, diag.Error, CodeStructure, "a document must be a mapping of fields, not a %s", kind)
		return nil, c.diags
	}
	d := &Document{File: p, Index: index, Value: m, posEnc: c.pos.section(), raw: c.raw, start: start, todo: c.todo}
	d.APIVersion, _ = m["apiVersion"].(string)
	d.Kind, _ = m["kind"].(string)
	d.ID, _ = m["id"].(string)
	return d, c.diags
}

// syntaxDiag turns a yaml.v3 error ("yaml: line 7: did not find expected key")
// into a positioned diagnostic: at the offending token when the scan found
// it (as yamllint and editors report it), else at the line yaml.v3 names
// (an unknown alias, found only when building the tree), first non-blank
// character.
func syntaxDiag(p string, data []byte, err error, lineOffset int) diag.Diagnostic {
	// The scan meets the same error and knows the offending token. Files are
	// within the limits here, so scanning to the error is cheap.
	if _, scanErr := yamlscan.Scan(data, math.MaxInt); scanErr != nil {
		return diag.Diagnostic{Pos: diag.Pos{File: p, Line: scanErr.Line + lineOffset, Col: scanErr.Col},
			Severity: diag.Error, Code: CodeSyntax, Msg: "YAML syntax: " + scanErr.Msg}
	}
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
	lim := Limits{}.orDefault()
	f, err := readFile(fsys, p, lim)
	if err != nil {
		var diags diag.List
		diags.Add(diag.Pos{File: p}, diag.Error, CodeBinary, "cannot read: %v", unwrapPath(err))
		return nil, diags
	}
	if f.done {
		return nil, f.diags
	}
	return readData(p, f.data)
}

// readData converts the first YAML document of data, as yaml.Unmarshal
// reads one: whatever follows it is not parsed.
func readData(p string, data []byte) (*Document, diag.List) {
	var (
		doc   *Document
		diags diag.List
		found bool
		run   atomic.Int64
	)
	_, syntax := eachDocument(p, data, 0, &budget{lim: Limits{}.orDefault(), run: &run}, func(d *Document, l diag.List, _ int) bool {
		doc, diags, found = d, l, true
		return false
	})
	switch {
	case syntax != nil:
		return nil, diag.List{*syntax}
	case !found:
		diags.Add(diag.Pos{File: p, Line: 1, Col: 1}, diag.Error, CodeStructure, "file is empty")
	}
	return doc, diags
}
