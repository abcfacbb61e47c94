package main

import (
	"github.com/spf13/cobra"

	"github.com/aims-dev/aims/pkg/mlbom"
)

// ExportOptions are export cyclonedx's flags.
type ExportOptions struct {
	*GlobalOptions
	Streams
	AnalysisOptions
	Systems []string
}

// NewCmdExport builds `aims export` and its subcommands.
func NewCmdExport(g *GlobalOptions, s Streams, runF func(*ExportOptions) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write the AIMS in formats other tools read",
		Args:  cobra.NoArgs,
	}
	opts := &ExportOptions{GlobalOptions: g, Streams: s}
	cdx := &cobra.Command{
		Use:   "cyclonedx [SYSTEM...]",
		Short: "Print a CycloneDX 1.6 ML-BOM of the AI systems and their datasets",
		Long: `Export cyclonedx prints a CycloneDX 1.6 JSON bill of materials: a
machine-learning-model component with a model card for each AI system (all, or
those named), and a data component for each dataset they use.

The model card repeats what the AIMS documents: users, intended uses,
limitations and out-of-scope uses, the risks that name the system with their
treatment, and the latest results linked as evidence (performance, bias and
drift values; bias values with the system's thresholds as fairness
assessments). The timestamp is --as-of, else now; the same AIMS and date give
the same bytes.`,
		Example: `  aims export cyclonedx > aims.cdx.json
  aims export cyclonedx credit-scoring --rev v2026-audit`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Systems = args
			if runF != nil {
				return runF(opts)
			}
			return runExportCycloneDX(opts)
		},
	}
	cdx.Flags().StringVar(&opts.AsOf, "as-of", "", "timestamp the BOM `DATE` (YYYY-MM-DD) instead of now")
	g.addRevFlag(cdx)
	cmd.AddCommand(cdx)
	return cmd
}

func runExportCycloneDX(opts *ExportOptions) error {
	gc.fast() // it holds its output too: see gc.go
	ws, err := opts.openWorkspace()
	if err != nil {
		return err
	}
	defer ws.Close()
	now, err := opts.asOf(ws)
	if err != nil {
		return err
	}
	bom, err := mlbom.Build(ws.Model, mlbom.Options{Systems: opts.Systems, Now: now, ToolVersion: toolVersion()})
	if err != nil {
		return err
	}
	return mlbom.Write(opts.Out, bom)
}
