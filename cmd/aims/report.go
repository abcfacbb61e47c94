package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/file"
	"github.com/aims-dev/aims/pkg/report"
	"github.com/aims-dev/aims/pkg/workspace"
)

// ReportOptions are report's flags.
type ReportOptions struct {
	*GlobalOptions
	Streams
	AnalysisOptions
	Format      string
	Output      string
	TemplateDir string
}

// NewCmdReport builds `aims report`.
func NewCmdReport(g *GlobalOptions, s Streams, runF func(*ReportOptions) error) *cobra.Command {
	opts := &ReportOptions{GlobalOptions: g, Streams: s}
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Render the conformance report an auditor reads (Markdown or HTML)",
		Long: `Report renders the ISO/IEC 42001 conformance report: readiness per clause
and Annex A area, clause-by-clause status with linked evidence, the Statement
of Applicability, the risk register and heat maps, the AI system inventory,
impact assessments, datasets, suppliers and objectives, the evidence index,
audits, reviews and nonconformities, every finding, and document control.

The HTML report is one self-contained file (inline CSS and SVG, no scripts,
nothing loaded from the network) that prints as an A4 document. The Markdown
report renders on GitHub and GitLab.

The format is --format, else taken from the -o file name (.html or .md),
else Markdown. Without -o (or with -o -) the report goes to standard output.
Links to evidence files and documents are relative to the -o file's folder,
or to the current folder when the report goes to standard output.

--template-dir DIR replaces the built-in templates by file name: a
report.md.tmpl, report.html.tmpl or style.css in DIR is used instead of the
embedded one, and any other is taken from aims. The templates receive a view
of the report already sorted and counted; see templates/report in the aims
repository for the built-in ones to start from.

An AIMS with errors still gets a report, with the errors listed near the top:
exit 0 whenever the report was written, 2 when it could not be.`,
		Example: `  aims report -o report.html
  aims report --format md --as-of 2026-12-01 > REPORT.md
  aims report -o report.html --template-dir my-templates`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runReport(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "", "output `format`: md or html (default: from the -o extension, else md)")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "write the report to `FILE` (- for standard output)")
	cmd.Flags().StringVar(&opts.AsOf, "as-of", "", "evaluate date rules as of `DATE` (YYYY-MM-DD) instead of today")
	cmd.Flags().StringVar(&opts.TemplateDir, "template-dir", "", "use templates from `DIR` in place of the built-in ones of the same name")
	g.addRevFlag(cmd)
	return cmd
}

// reportSource is where the AIMS was read from, for the report's cover.
func reportSource(s *workspace.Source) (report.Source, error) {
	if s == nil || !s.Versioned {
		return report.Source{}, nil
	}
	dirty, err := s.Dirty()
	if err != nil {
		return report.Source{}, err
	}
	out := report.Source{Versioned: true, Rev: s.Rev, Commit: s.Commit.Hash, Short: s.Commit.Short(),
		Subject: s.Commit.Subject, Dirty: dirty, Shallow: s.Shallow, Path: s.Prefix}
	if !s.Commit.When.IsZero() {
		out.Date = s.Commit.When.Format(time.DateOnly)
	}
	return out, nil
}

// reportDocuments is document control for the report: every document but
// evidence records, with its git history. nil (outside git) makes the
// report say that history is unknown.
func reportDocuments(control []workspace.DocControl) []report.DocControl {
	if control == nil {
		return nil
	}
	out := []report.DocControl{}
	for _, c := range control {
		m := c.Doc.Header()
		if m.Kind == "Evidence" {
			continue
		}
		d := report.DocControl{File: m.Doc.File, Kind: m.Kind, ID: m.ID, Title: m.Title, Version: m.Version,
			ApprovedBy: m.ApprovedBy, ApprovedOn: m.ApprovedOn, ChangedAfterApproval: c.ChangedAfterApproval}
		for _, k := range c.Commits {
			d.Commits = append(d.Commits, report.Commit{Hash: k.Hash, Short: k.Short(), Author: k.Author,
				Date: k.When.Format(time.DateOnly), Subject: k.Subject})
		}
		if len(d.Commits) > 0 {
			d.LastChanged = d.Commits[0].Date
		}
		out = append(out, d)
	}
	return out
}

// reportFormat is the format asked for, else the one the output file's
// extension names, else md.
func reportFormat(format, output string) (string, error) {
	if format == "" {
		switch strings.ToLower(filepath.Ext(output)) {
		case ".html", ".htm":
			return "html", nil
		}
		return "md", nil
	}
	if !slices.Contains(report.Formats(), format) {
		return "", fmt.Errorf("unknown format %q (want %s)", format, strings.Join(report.Formats(), " or "))
	}
	return format, nil
}

func runReport(opts *ReportOptions) error {
	format, err := reportFormat(opts.Format, opts.Output)
	if err != nil {
		return err
	}
	if _, err := opts.now(); err != nil {
		return err
	}
	if opts.TemplateDir != "" {
		if st, err := os.Stat(opts.TemplateDir); err != nil {
			return fmt.Errorf("--template-dir: %w", err)
		} else if !st.IsDir() {
			return fmt.Errorf("--template-dir %s: not a folder", opts.TemplateDir)
		}
	}
	toStdout := opts.Output == "" || opts.Output == "-"

	ws, err := opts.openWorkspace()
	if err != nil {
		return err
	}
	defer ws.Close()
	res, err := analyze(ws, &opts.AnalysisOptions)
	if err != nil {
		return err
	}
	control, err := ws.DocumentControl()
	if err != nil {
		return err
	}
	source, err := reportSource(ws.Source)
	if err != nil {
		return err
	}
	all := append(slices.Clone(ws.Diags), res.Findings...)
	all.Sort()

	// Links to evidence resolve from where the report is read: the output
	// file's folder, or the current folder for standard output.
	base := displayPrefix(ws.Root)
	if !toStdout {
		out, err := filepath.Abs(opts.Output)
		if err != nil {
			return err
		}
		if rel, err := filepath.Rel(filepath.Dir(out), ws.Root); err == nil {
			base = filepath.ToSlash(rel)
		} else {
			base = filepath.ToSlash(ws.Root)
		}
	}
	in := &report.Input{Model: ws.Model, Catalog: ws.Catalog, Gap: res, Findings: all, AsOf: res.AsOf, Tool: toolVersion(),
		Source: source, Documents: reportDocuments(control)}
	var buf bytes.Buffer
	if err := report.Render(&buf, format, in, report.Options{TemplateDir: opts.TemplateDir, LinkBase: base}); err != nil {
		return err
	}
	if toStdout {
		_, err = opts.Out.Write(buf.Bytes())
	} else if err = file.Write(opts.Output, buf.Bytes()); err == nil {
		fmt.Fprintf(opts.Out, "wrote %s: readiness %.1f%%, %d requirements block certification\n",
			opts.Output, res.Summary.Score, res.Summary.Blocking)
	}
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if n := all.Count(diag.Error); n > 0 {
		fmt.Fprintf(opts.ErrOut, "aims: the report lists %d error(s) in the AIMS; aims check shows them\n", n)
	}
	return nil
}
