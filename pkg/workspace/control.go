package workspace

import (
	"fmt"
	"io/fs"
	"maps"
	"path"
	"reflect"
	"sort"
	"sync"

	"github.com/aims-dev/aims/pkg/aims"
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
	v := &versions{src: w.Source, cache: map[string]map[string]*load.Document{}}
	out := map[aims.Doc]gap.ApprovalRecord{}
	for _, doc := range w.Model.All {
		m := doc.Header()
		if m.Doc == nil || m.ApprovedBy == "" || m.ApprovedOn == "" {
			continue
		}
		commits := prov.Files[m.Doc.File].Commits
		rec := gap.ApprovalRecord{File: m.Doc.File, ID: m.ID}
		// Commits are newest first; the current approval holds for a run of
		// the newest ones (an approval is not normally reverted to an
		// earlier identical one), so a binary search finds where it starts
		// with a few parses instead of one per version.
		var failed error
		docAt := func(i int) *load.Document {
			d, err := v.doc(commits[i], m.Doc.File, m.ID)
			if err != nil && failed == nil {
				failed = err
			}
			return d
		}
		at := sort.Search(len(commits), func(i int) bool {
			old := docAt(i)
			return old == nil || !sameApproval(old, m.Doc)
		}) - 1 // the commit that recorded the current approval
		if failed != nil {
			return nil, failed
		}
		if at < 0 {
			out[doc] = rec // the approval is not committed yet
			continue
		}
		c, approvedVersion := commits[at], docAt(at)
		rec.Hash, rec.Short, rec.Author, rec.Email, rec.Date = c.Hash, c.Short(), c.Author, c.Email, c.When.Format("2006-01-02")
		if !sameContent(approvedVersion, m.Doc) {
			// The oldest newer commit whose content differs changed it
			// (again a run of the newest, unless an edit was reverted).
			j := sort.Search(at, func(i int) bool {
				d := docAt(i)
				return d != nil && sameContent(approvedVersion, d)
			})
			if failed != nil {
				return nil, failed
			}
			rec.ChangedIn = "an uncommitted edit"
			if j > 0 {
				ch := commits[j-1]
				rec.ChangedIn = fmt.Sprintf("commit %s of %s by %s (%q)", ch.Short(), ch.When.Format("2006-01-02"), ch.Author, ch.Subject)
			}
		}
		out[doc] = rec
	}
	w.approvalParses = v.parsed
	return out, nil
}

// versions reads documents as they were at a commit, each file parsed once
// per commit.
type versions struct {
	src    *Source
	cache  map[string]map[string]*load.Document // hash/file -> id -> doc
	parsed int                                  // file versions read (BenchmarkApprovals reports it)
}

func (v *versions) doc(c vcs.Commit, file, id string) (*load.Document, error) {
	key := c.Hash + "/" + file
	docs, ok := v.cache[key]
	if !ok {
		tree, _, err := v.src.repo.FS(c.Hash)
		if err != nil {
			return nil, err
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
	return fmt.Sprint(x.Value["approved_by"]) == fmt.Sprint(y.Value["approved_by"]) &&
		fmt.Sprint(x.Value["approved_on"]) == fmt.Sprint(y.Value["approved_on"])
}

// sameContent compares what an approval covers: every field but the
// approval's own, and the Markdown body.
func sameContent(x, y *load.Document) bool {
	strip := func(d *load.Document) map[string]any {
		m := maps.Clone(d.Value)
		for _, k := range approvalKeys {
			delete(m, k)
		}
		return m
	}
	return x.Body == y.Body && reflect.DeepEqual(strip(x), strip(y))
}

// approvalCache holds the approval records, computed on first use.
type approvalCache struct {
	approvalOnce sync.Once
	approvalRecs map[aims.Doc]gap.ApprovalRecord
	approvalErr  error
	// approvalParses counts the file versions read to find the records.
	approvalParses int
}
