package report

import (
	"bytes"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	texttemplate "text/template"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/catalog"
	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/gap"
	"github.com/aims-dev/aims/pkg/registry"
	"github.com/aims-dev/aims/templates"
)

// Input is everything a report shows. Render reads it and never changes it.
type Input struct {
	Model   *aims.Model
	Catalog *catalog.Catalog
	Gap     *gap.Result
	// Findings are every finding: validation (load, schema, link) and gap
	// findings, sorted.
	Findings diag.List
	AsOf     string // YYYY-MM-DD: "today" for every date shown or judged
	Tool     string // aims version
	// Source is where the AIMS was read from; the zero value means unknown.
	Source Source
	// Documents is document control from git; nil means the history is
	// unknown and the section says so.
	Documents []DocControl
}

// Source says which revision of which repository the AIMS was read from.
type Source struct {
	Versioned bool   // the AIMS is in a git repository
	Rev       string // the revision asked for; "" = the working tree
	Commit    string // full hash of the commit read (HEAD for the working tree)
	Short     string // abbreviated hash
	Date      string // commit date, YYYY-MM-DD
	Subject   string // first line of the commit message
	Dirty     bool   // the working tree had uncommitted changes
	Shallow   bool   // the clone is shallow, so history may be cut short
	Path      string // the AIMS root inside the repository ("" = the top)
}

// DocControl is the version history of one AIMS document.
type DocControl struct {
	File, Kind, ID, Title, Version, ApprovedBy, ApprovedOn, LastChanged string
	// ChangedAfterApproval: the file changed in a commit after approved_on,
	// so the approved version is not the one in force.
	ChangedAfterApproval bool
	Commits              []Commit // newest first
}

// Commit is one change to a document.
type Commit struct {
	Hash, Short, Author, Date, Subject string
}

// Options tune rendering.
type Options struct {
	// TemplateDir, when set, holds templates that replace the embedded ones
	// of the same file name (report.md.tmpl, report.html.tmpl, style.css).
	TemplateDir string
	// LinkBase is the path from where the report is read to the AIMS root,
	// joined before evidence and document paths so relative links resolve
	// ("" when the report sits in the AIMS root).
	LinkBase string
}

// format is how one report format is rendered from its templates.
type format struct {
	// files are the templates the format reads, the first being the entry
	// point.
	files  []string
	render func(w io.Writer, names, srcs []string, v *view) error
}

var formats = registry.New("format",
	registry.Entry[format]{Name: "md", Value: format{[]string{"report.md.tmpl"}, renderMarkdown}},
	registry.Entry[format]{Name: "html", Value: format{[]string{"report.html.tmpl", "style.css"}, renderHTML}},
)

// Formats lists the valid format names, the default first.
func Formats() []string { return formats.Names() }

// FormatFor is the format asked for, else the one the output file's
// extension names (.html, .htm), else md. An unknown format is an error
// listing the valid ones.
func FormatFor(format, file string) (string, error) {
	if format == "" {
		switch strings.ToLower(filepath.Ext(file)) {
		case ".html", ".htm":
			return "html", nil
		}
		return Formats()[0], nil
	}
	_, err := formats.Get(format)
	return format, err
}

// LinkBase is the path from the folder a report is read in (absolute) to
// the AIMS root, for Options.LinkBase.
func LinkBase(from, root string) string {
	if rel, err := filepath.Rel(from, root); err == nil {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(root)
}

// Render writes the report in format md or html. If rendering fails, a
// *bytes.Buffer is left as it was and any other writer may hold part of the
// report: write a file through file.WriteFrom, which then keeps the old one.
func Render(w io.Writer, format string, in *Input, opts Options) error {
	f, err := formats.Get(format)
	if err != nil {
		return err
	}
	if in == nil || in.Model == nil || in.Catalog == nil || in.Gap == nil {
		return errors.New("report: input needs a model, a catalog and a gap result")
	}
	srcs, err := readTemplates(f.files, opts.TemplateDir)
	if err != nil {
		return err
	}
	v := build(in, opts)
	// The report streams to w as it renders: the HTML of a large AIMS is
	// tens of MB, and holding it in a buffer grown (and copied) by doubling
	// cost more than writing it. A caller's buffer is cut back on failure.
	if buf, ok := w.(*bytes.Buffer); ok {
		n := buf.Len()
		if err := f.render(buf, f.files, srcs, v); err != nil {
			buf.Truncate(n)
			return err
		}
		return nil
	}
	return f.render(w, f.files, srcs, v)
}

func renderMarkdown(w io.Writer, names, srcs []string, v *view) error {
	t := texttemplate.New(names[0]).Funcs(mdFuncs)
	if _, err := t.Parse(srcs[0]); err != nil {
		return fmt.Errorf("template %s: %w", names[0], err)
	}
	if err := t.Execute(w, v); err != nil {
		return fmt.Errorf("template %s: %w", names[0], err)
	}
	return nil
}

func renderHTML(w io.Writer, names, srcs []string, v *view) error {
	t := htmltemplate.New(names[0]).Funcs(htmlFuncs)
	if _, err := t.Parse(srcs[0]); err != nil {
		return fmt.Errorf("template %s: %w", names[0], err)
	}
	// The stylesheet is a template of its own, so a user may replace it
	// alone; as template text it is trusted like the template itself.
	if _, err := t.New(names[1]).Parse(srcs[1]); err != nil {
		return fmt.Errorf("template %s: %w", names[1], err)
	}
	if err := t.ExecuteTemplate(w, names[0], v); err != nil {
		return fmt.Errorf("template %s: %w", names[0], err)
	}
	return nil
}

// readTemplates returns the named templates: from dir when it holds a file
// of that name, else the embedded one.
func readTemplates(names []string, dir string) ([]string, error) {
	if dir != "" {
		st, err := os.Stat(dir)
		if err != nil {
			return nil, fmt.Errorf("template dir: %w", err)
		}
		if !st.IsDir() {
			return nil, fmt.Errorf("template dir %s: not a folder", dir)
		}
	}
	out := make([]string, len(names))
	for i, n := range names {
		if dir != "" {
			b, err := os.ReadFile(filepath.Join(dir, n))
			if err == nil {
				out[i] = string(b)
				continue
			}
			if !errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("template %s: %w", n, err)
			}
		}
		b, err := fs.ReadFile(templates.Report, "report/"+n)
		if err != nil {
			return nil, fmt.Errorf("embedded template %s: %w", n, err)
		}
		out[i] = string(b)
	}
	return out, nil
}
