package workspace

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"path"
	"slices"
	"sort"
	"sync"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/cache"
	"github.com/aims-dev/aims/pkg/gap"
	"github.com/aims-dev/aims/pkg/link"
	"github.com/aims-dev/aims/pkg/load"
	"github.com/aims-dev/aims/pkg/vcs"
)

// DocControl is a document's control record (7.5.2, 7.5.3): its version
// history from git and whether its approval still covers its text.
type DocControl struct {
	Doc     aims.Doc
	Commits []vcs.Commit // newest first
	// ChangedAfterApproval: the document's content differs from the
	// version its current approval was recorded with (gap rule G097).
	ChangedAfterApproval bool
	Note                 string
}

// DocumentControl returns the control record of every document, in load
// order, or nil outside git. It shares the one provenance walk and the
// approval records with check (Approvals).
func (w *Workspace) DocumentControl() ([]DocControl, error) {
	if w.Source == nil || !w.Source.Versioned {
		return nil, nil
	}
	prov, err := w.Source.History()
	if err != nil {
		return nil, err
	}
	recs, err := w.approvals()
	if err != nil {
		return nil, err
	}
	var out []DocControl
	for _, doc := range w.Model.All {
		m := doc.Header()
		if m.Doc == nil {
			continue
		}
		dc := DocControl{Doc: doc, Commits: prov.Files[m.Doc.File].Commits}
		if len(dc.Commits) == 0 {
			dc.Note = "not committed yet"
		}
		if r, ok := recs[doc]; ok && r.ChangedIn != "" {
			dc.ChangedAfterApproval = true
			dc.Note = fmt.Sprintf("%s changed it after its approval on %s (recorded in %s)", r.ChangedIn, m.ApprovedOn, r.Short)
		}
		out = append(out, dc)
	}
	return out, nil
}

// Approvals returns what git shows about every approved document's current
// approval, for gap to judge (G097, G098), or nil outside git.
func (w *Workspace) Approvals() ([]gap.ApprovalRecord, error) {
	recs, err := w.approvals()
	if err != nil {
		return nil, err
	}
	var out []gap.ApprovalRecord
	for _, doc := range w.Model.All {
		if r, ok := recs[doc]; ok {
			out = append(out, r)
		}
	}
	return out, nil
}

// approvals finds, once, for every document with an approval, the commit
// that recorded it: going back from the newest commit that changed the
// file, the oldest one in which the document's approved_by and approved_on
// were already what they are now. Its content is then compared with the
// version checked (the working tree or --rev), so an edit is caught
// however many commits ago it happened, and a commit that only moves
// approved_on does not hide earlier edits from the check by its author.
//
// The cost is one provenance walk (shared with evidence dates and the
// report) plus reading and parsing a few versions of each approved file
// (binary searches over its history); see BenchmarkApprovals.
func (w *Workspace) approvals() (map[aims.Doc]gap.ApprovalRecord, error) {
	if w.Source == nil || !w.Source.Versioned {
		return nil, nil
	}
	w.approvalOnce.Do(func() { w.approvalRecs, w.approvalErr = w.computeApprovals() })
	return w.approvalRecs, w.approvalErr
}

func (w *Workspace) computeApprovals() (map[aims.Doc]gap.ApprovalRecord, error) {
	prov, err := w.Source.History()
	if err != nil {
		return nil, err
	}
	v := &versions{src: w.Source, trees: map[string]fs.FS{}, cache: map[string]map[string]*load.Document{}, contents: w.contents}
	out := map[aims.Doc]gap.ApprovalRecord{}
	kept := map[*load.Document]gap.ApprovalRecord{} // for a Resident's next run
	for _, doc := range w.Model.All {
		m := doc.Header()
		if m.Doc == nil || m.ApprovedBy == "" || m.ApprovedOn == "" {
			continue
		}
		if rec, ok := w.res.approval(w.Source.Commit.Hash, m.Doc); ok {
			out[doc], kept[m.Doc] = rec, rec
			continue
		}
		commits := prov.Files[m.Doc.File].Commits
		key, keyed := w.approvalKey(m.Doc, commits)
		at, changed, ok := w.cachedApproval(key, keyed, len(commits))
		if !ok {
			if at, changed, err = v.approvalAt(commits, m.Doc); err != nil {
				return nil, err
			}
			if keyed {
				e := &cache.Encoder{}
				e.Int(int64(at))
				e.Int(int64(changed))
				w.cache.Put(key, e.B)
			}
		}
		rec := gap.ApprovalRecord{File: m.Doc.File, ID: m.ID}
		if at >= 0 {
			c := commits[at]
			rec.Hash, rec.Short, rec.Author, rec.Email, rec.Date = c.Hash, c.Short(), c.Author, c.Email, c.When.Format("2006-01-02")
		}
		switch {
		case changed == 0:
			rec.ChangedIn = "an uncommitted edit"
		case changed > 0:
			ch := commits[changed-1]
			rec.ChangedIn = fmt.Sprintf("commit %s of %s by %s (%q)", ch.Short(), ch.When.Format("2006-01-02"), ch.Author, ch.Subject)
		}
		out[doc], kept[m.Doc] = rec, rec
	}
	w.res.keepApprovals(w.Source.Commit.Hash, kept)
	w.approvalParses = v.parsed
	return out, nil
}

// approvalAt finds, in the commits of doc's file (newest first), the one
// that recorded doc's current approval: at is its index, -1 when the
// approval is not committed yet. When doc's content differs from the
// version approved, commits[changed-1] changed it, or an uncommitted edit
// did when changed is 0; changed is -1 when the content is the one
// approved.
func (v *versions) approvalAt(commits []vcs.Commit, doc *load.Document) (at, changed int, err error) {
	var failed error
	docAt := func(i int) *load.Document {
		d, err := v.doc(commits[i], doc.File, doc.ID)
		if err != nil && failed == nil {
			failed = err
		}
		return d
	}
	// Commits are newest first; the current approval holds for a run of
	// the newest ones (an approval is not normally reverted to an earlier
	// identical one), so a binary search finds where it starts with a few
	// parses instead of one per version.
	at = sort.Search(len(commits), func(i int) bool {
		old := docAt(i)
		return old == nil || !sameApproval(old, doc)
	}) - 1
	if failed != nil || at < 0 {
		return -1, -1, failed
	}
	approvedVersion := docAt(at)
	if v.sameContent(approvedVersion, doc) {
		return at, -1, failed
	}
	// The oldest newer commit whose content differs changed it (again a
	// run of the newest, unless an edit was reverted).
	changed = sort.Search(at, func(i int) bool {
		d := docAt(i)
		return d != nil && v.sameContent(approvedVersion, d)
	})
	return at, changed, failed
}

// approvalKey is the cache key of where doc's approval was recorded: the
// answer depends only on the document as checked (its content key), the
// commits that changed its file (each hash fixes that version's content)
// and where the AIMS sits in the repository. False without a cache or a
// content key.
func (w *Workspace) approvalKey(doc *load.Document, commits []vcs.Commit) (cache.Key, bool) {
	dk, ok := doc.CacheKey()
	if w.cache == nil || !ok {
		return cache.Key{}, false
	}
	parts := [][]byte{[]byte("approval 1"), cache.Salt(), dk[:], []byte(w.Source.Prefix), []byte(doc.File), []byte(doc.ID)}
	for _, c := range commits {
		parts = append(parts, []byte(c.Hash))
	}
	return cache.NewKey(parts...), true
}

// cachedApproval reads approvalAt's answer from the cache, if an intact one
// that fits the n commits is there.
func (w *Workspace) cachedApproval(k cache.Key, keyed bool, n int) (at, changed int, ok bool) {
	if !keyed {
		return 0, 0, false
	}
	b, ok := w.cache.Get(k)
	if !ok {
		return 0, 0, false
	}
	d := cache.NewDecoder(b)
	a, c := d.Int(), d.Int()
	if d.Done() != nil || a < -1 || a >= int64(n) || c < -1 || c > a || a < 0 && c != -1 {
		return 0, 0, false
	}
	return int(a), int(c), true
}

// versions reads documents as they were at a commit, each file parsed once
// per commit.
type versions struct {
	src    *Source
	trees  map[string]fs.FS                     // hash -> its tree
	cache  map[string]map[string]*load.Document // hash/file -> id -> doc
	parsed int                                  // file versions read (BenchmarkApprovals reports it)
	// contents are the digests of checked documents whose values were
	// projected (Workspace.contents).
	contents map[*load.Document][32]byte
}

func (v *versions) doc(c vcs.Commit, file, id string) (*load.Document, error) {
	key := c.Hash + "/" + file
	docs, ok := v.cache[key]
	if !ok {
		tree, ok := v.trees[c.Hash]
		if !ok {
			var err error
			if tree, _, err = v.src.repo.FS(c.Hash); err != nil {
				return nil, err
			}
			v.trees[c.Hash] = tree
		}
		p := file
		if v.src.Prefix != "" {
			p = path.Join(v.src.Prefix, file)
		}
		docs = map[string]*load.Document{}
		v.parsed++
		if data, err := fs.ReadFile(tree, p); err == nil {
			parsed, _ := load.ParseBytes(file, data)
			for _, d := range parsed {
				link.NormalizeIDs(d) // as the checked version was
				docs[d.ID] = d
			}
		}
		v.cache[key] = docs
	}
	return docs[id], nil
}

// approvalKeys are the fields that record an approval or its upkeep, not
// the content approved.
var approvalKeys = []string{"approved_by", "approved_on", "version", "status", "next_review"}

func sameApproval(x, y *load.Document) bool {
	field := func(d *load.Document, k string) string {
		v, _ := load.Get(d.Root(), k) // kept by Lean: link and gap read both
		return fmt.Sprint(v)
	}
	return field(x, "approved_by") == field(y, "approved_by") && field(x, "approved_on") == field(y, "approved_on")
}

// sameContent compares what an approval covers: every field but the
// approval's own, and the Markdown body.
func (v *versions) sameContent(x, y *load.Document) bool {
	return x.Body == y.Body && v.contentOf(x) == v.contentOf(y)
}

// contentOf is the digest of what d's approval covers: kept when its
// values were projected, else computed from them.
func (v *versions) contentOf(d *load.Document) [32]byte {
	if d.Value == nil {
		if c, ok := v.contents[d]; ok {
			return c
		}
	}
	return contentDigest(d)
}

// approved reports whether d records an approval (who and when).
func approved(d *load.Document) bool {
	return d.Value["approved_by"] != nil && d.Value["approved_on"] != nil
}

// contentDigest is a SHA-256 of the document's values but the approval's
// own fields (approvalKeys), map keys in order, each value with its type:
// two documents have the same digest exactly when their values, the
// approval's fields aside, are deeply equal.
func contentDigest(d *load.Document) [32]byte {
	m := maps.Clone(d.Value)
	for _, k := range approvalKeys {
		delete(m, k)
	}
	return sha256.Sum256(appendCanonical(nil, m))
}

// appendCanonical appends v with its type, map keys sorted, lengths
// before contents, so that different values never share an encoding.
func appendCanonical(b []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(b, 'n')
	case bool:
		if v {
			return append(b, 't')
		}
		return append(b, 'f')
	case int64:
		return binary.AppendVarint(append(b, 'i'), v)
	case float64:
		return binary.LittleEndian.AppendUint64(append(b, 'd'), math.Float64bits(v))
	case string:
		return append(binary.AppendUvarint(append(b, 's'), uint64(len(v))), v...)
	case []any:
		b = binary.AppendUvarint(append(b, 'l'), uint64(len(v)))
		for _, x := range v {
			b = appendCanonical(b, x)
		}
		return b
	case map[string]any:
		b = binary.AppendUvarint(append(b, 'm'), uint64(len(v)))
		for _, k := range slices.Sorted(maps.Keys(v)) {
			b = append(binary.AppendUvarint(b, uint64(len(k))), k...)
			b = appendCanonical(b, v[k])
		}
		return b
	default:
		// Not a value the loader makes; its type and text still tell it apart.
		s := fmt.Sprintf("%T:%#v", v, v)
		return append(binary.AppendUvarint(append(b, '?'), uint64(len(s))), s...)
	}
}

// approvalCache holds the approval records, computed on first use.
type approvalCache struct {
	approvalOnce sync.Once
	approvalRecs map[aims.Doc]gap.ApprovalRecord
	approvalErr  error
	// approvalParses counts the file versions read to find the records.
	approvalParses int
}
