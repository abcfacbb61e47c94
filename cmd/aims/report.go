package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"

	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/file"
	"github.com/aims-dev/aims/pkg/report"
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
	addFormatFlag(cmd, &opts.Format, "", report.Formats(), " (default: from the -o extension, else md)")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "write the report to `FILE` (- for standard output)")
	cmd.Flags().StringVar(&opts.AsOf, "as-of", "", "evaluate date rules as of `DATE` (YYYY-MM-DD) instead of today")
	cmd.Flags().StringVar(&opts.TemplateDir, "template-dir", "", "use templates from `DIR` in place of the built-in ones of the same name")
	g.addRevFlag(cmd)
	return cmd
}

func runReport(opts *ReportOptions) error {
	format, err := report.FormatFor(opts.Format, opts.Output)
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

	gc.fast() // it holds its output too: see gc.go
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
	dirty, err := ws.Source.Dirty()
	if err != nil {
		return err
	}
	all := append(slices.Clone(ws.Diags), res.Findings...)
	all.Sort()

	// Links to evidence resolve from where the report is read: the output
	// file's folder, or the current folder for standard output.
	from, _ := os.Getwd() // unknown: links use the root's absolute path
	if !toStdout {
		out, err := filepath.Abs(opts.Output)
		if err != nil {
			return err
		}
		from = filepath.Dir(out)
	}
	in := &report.Input{Model: ws.Model, Catalog: ws.Catalog, Gap: res, Findings: all, AsOf: res.AsOf, Tool: toolVersion(),
		Source: report.SourceOf(ws.Source, dirty), Documents: report.DocumentsOf(control)}
	ropts := report.Options{TemplateDir: opts.TemplateDir, LinkBase: report.LinkBase(from, ws.Root)}
	if toStdout {
		// Whole or nothing on standard output too: render, then write.
		var buf bytes.Buffer
		if err := report.Render(&buf, format, in, ropts); err != nil {
			return err
		}
		if _, err := opts.Out.Write(buf.Bytes()); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
	} else {
		// Streamed to a temporary file renamed into place: a failed render
		// leaves the old report, and a report of tens of MB is never held
		// in memory.
		var rerr error
		err := file.WriteFrom(opts.Output, func(w io.Writer) error {
			rerr = report.Render(w, format, in, ropts)
			return rerr
		})
		if rerr != nil {
			return rerr
		}
		if err != nil {
			return fmt.Errorf("write report: %w", err)
		}
		if !opts.Quiet {
			fmt.Fprintf(opts.Out, "wrote %s: readiness %.1f%%, %d requirements block certification\n",
				opts.Output, res.Summary.Score, res.Summary.Blocking)
		}
	}
	if n := all.Count(diag.Error); n > 0 {
		fmt.Fprintf(opts.ErrOut, "aims: the report lists %d error(s) in the AIMS; aims check shows them\n", n)
	}
	return nil
}
