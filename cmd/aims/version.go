package main

import (
	"fmt"
	"regexp"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// VersionOptions are version's flags.
type VersionOptions struct {
	Streams
}

// NewCmdVersion builds `aims version`.
func NewCmdVersion(s Streams, runF func(*VersionOptions) error) *cobra.Command {
	opts := &VersionOptions{Streams: s}
	return &cobra.Command{
		Use:   "version",
		Short: "Print aims's version, the commit it was built from and the Go version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runVersion(opts)
		},
	}
}

// buildInfo is what the binary knows about itself: the module version (a
// tag with go install ...@v1.2.3, "dev" from a checkout), the commit (from
// the VCS stamp of go build in a clone) and the Go toolchain.
type buildInfo struct {
	Version, Commit, Go, Platform string
	Modified                      bool
}

// pseudoCommit is the commit prefix at the end of a Go pseudo-version
// (v0.0.0-20261130061253-c12f0a9d1e2f).
var pseudoCommit = regexp.MustCompile(`\d{14}-([0-9a-f]{12})(?:\+[a-z]+)?$`)

func readBuildInfo() buildInfo {
	b := buildInfo{Version: toolVersion(), Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if m := pseudoCommit.FindStringSubmatch(b.Version); m != nil {
		b.Commit = m[1] // go install ...@<commit or branch>: no VCS stamp, but the pseudo-version names it
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				b.Commit = s.Value
			case "vcs.modified":
				b.Modified = s.Value == "true"
			}
		}
	}
	return b
}

func runVersion(opts *VersionOptions) error {
	b := readBuildInfo()
	commit := "unknown (not built from a git checkout)"
	if b.Commit != "" {
		commit = b.Commit
		if b.Modified {
			commit += " (with uncommitted changes)"
		}
	}
	_, err := fmt.Fprintf(opts.Out, "aims %s\ncommit: %s\ngo: %s %s\n", b.Version, commit, b.Go, b.Platform)
	return err
}
