package workspace

import (
	"fmt"
	"io/fs"
	"path"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/load"
	"github.com/aims-dev/aims/pkg/vcs"
)

// DocControl is a document's control record (7.5.2, 7.5.3): its version
// history from git and whether its approval still covers its text.
type DocControl struct {
	Doc     aims.Doc
	Commits []vcs.Commit // newest first
	// ChangedAfterApproval: the last commit that changed the document's
	// file changed more than its approval and came after the approval date,
	// so the recorded approval no longer covers the current text.
	ChangedAfterApproval bool
	Note                 string
}

// DocumentControl returns the control record of every document, in load
// order, or nil outside git. It uses the one provenance walk and reads at
// most two versions of each approved document's file.
func (w *Workspace) DocumentControl() ([]DocControl, error) {
	if w.Source == nil || !w.Source.Versioned {
		return nil, nil
	}
	prov, err := w.Source.History()
	if err != nil {
		return nil, err
	}
	versions := map[string]map[string]*load.Document{} // hash/file -> id -> doc
	at := func(c vcs.Commit, file string) (map[string]*load.Document, error) {
		key := c.Hash + "/" + file
		if v, ok := versions[key]; ok {
			return v, nil
		}
		tree, _, err := w.Source.repo.FS(c.Hash)
		if err != nil {
			return nil, err
		}
		p := file
		if w.Source.Prefix != "" {
			p = path.Join(w.Source.Prefix, file)
		}
		data, err := fs.ReadFile(tree, p)
		if err != nil && !load.FileProblem(err) {
			return nil, fmt.Errorf("read %s at %s: %w", p, c.Short(), err)
		}
		v := map[string]*load.Document{}
		if err == nil {
			docs, _ := load.ParseBytes(file, data)
			for _, d := range docs {
				v[d.ID] = d
			}
		}
		versions[key] = v
		return v, nil
	}

	var out []DocControl
	for _, doc := range w.Model.All {
		m := doc.Header()
		if m.Doc == nil {
			continue
		}
		h := prov.Files[m.Doc.File]
		dc := DocControl{Doc: doc, Commits: h.Commits}
		if len(h.Commits) == 0 {
			dc.Note = "not committed yet"
			out = append(out, dc)
			continue
		}
		approved, ok := parseDay(m.ApprovedOn)
		last := h.Commits[0]
		if ok && day(last.When).After(approved) {
			// Did the last change record the approval itself (approval
			// fields differ from the version before)? Then it is covered.
			cur, err := at(last, m.Doc.File)
			if err != nil {
				return nil, err
			}
			recorded := false
			if len(h.Commits) > 1 {
				prev, err := at(h.Commits[1], m.Doc.File)
				if err != nil {
					return nil, err
				}
				recorded = approvalDiffers(cur[m.ID], prev[m.ID])
			} else {
				recorded = true // the file was created with its approval
			}
			if !recorded {
				dc.ChangedAfterApproval = true
				dc.Note = fmt.Sprintf("changed on %s by %s (%s, %q) after its approval on %s",
					last.When.Format("2006-01-02"), last.Author, last.Short(), last.Subject, m.ApprovedOn)
			}
		}
		out = append(out, dc)
	}
	return out, nil
}

// approvalDiffers reports whether two versions of a document record
// different approvals (or the document is new).
func approvalDiffers(cur, prev *load.Document) bool {
	if cur == nil || prev == nil {
		return true
	}
	for _, k := range []string{"approved_on", "approved_by", "version", "status"} {
		if fmt.Sprint(cur.Value[k]) != fmt.Sprint(prev.Value[k]) {
			return true
		}
	}
	return false
}
