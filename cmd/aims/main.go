// Command aims keeps an ISO/IEC 42001 AI management system as code: it
// validates the AIMS documents in a repository, finds the gaps an auditor
// would find and renders the conformance report.
//
// This package is the command tree only: flags become Options, streams are
// injected, and errors become exit codes in exactly one place (run). Formats
// and their checks belong to each package's registry (output.New, diff.New,
// catalog.NewWriter, report.FormatFor, ...); commands only pass the name on.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"time"
)

// Exit codes.
const (
	exitOK       = 0 // clean
	exitFindings = 1 // findings at or above --fail-on
	exitError    = 2 // usage or operational error
)

// errFindings reports that the command ran and found problems; they have
// been printed already.
var errFindings = errors.New("findings")

// Streams are where a command reads and writes.
type Streams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
}

func main() {
	switch {
	case os.Getenv("GOGC") != "":
	case os.Getenv("GOMEMLIMIT") != "":
		debug.SetGCPercent(fastPercent)
	default:
		gc.start()
	}
	code := run(os.Args[1:], Streams{os.Stdin, os.Stdout, os.Stderr})
	if atExit != nil {
		atExit()
	}
	os.Exit(code)
}

// atExit, when set (by the aimsprof build), runs before the process exits;
// profPoint, when set, is called by check once everything it reports on is
// in memory, with what it holds, so a heap profile shows the run's peak.
var (
	atExit    func()
	profPoint func(keep ...any)
)

// run executes the command line, or has the AIMS's server run it
// (server.go), and maps the outcome to an exit code.
func run(args []string, s Streams) int {
	if code, ok := runOnServer(args, s); ok {
		return code
	}
	start := time.Now()
	code := exitCode(execute(&GlobalOptions{}, args, s), s)
	if autoStart != nil && time.Since(start) >= autoAfter {
		autoStart()
	}
	return code
}

// execute runs the command line with g as its global options.
func execute(g *GlobalOptions, args []string, s Streams) error {
	cmd := newCmdRoot(s, g)
	cmd.SetArgs(args)
	return cmd.Execute()
}

// exitCode maps a command's outcome to the exit code, printing an error.
func exitCode(err error, s Streams) int {
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errFindings):
		return exitFindings
	}
	fmt.Fprintf(s.ErrOut, "aims: %v\n", err)
	return exitError
}
