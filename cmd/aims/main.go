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
	"math"
	"os"
	"runtime"
	"runtime/debug"
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

// gcPercent is the GOGC aims runs with unless the user sets GOGC: a check
// is a short-lived process whose heap is mostly live until it exits, so
// collecting at every doubling is wasted work. Measured on 10,000 documents:
// GOGC 200 spends 11% less CPU than 100 for 15% more peak memory; 400 saves
// 19% for 27% more (README, Performance).
const gcPercent = 200

// gcFloor is how much memory aims takes before its first collection
// (unless the user sets GOGC or GOMEMLIMIT): a pre-commit run with a warm
// cache allocates about 270 MB on 10,000 documents and then exits, so
// collecting on the way is wasted work. Measured there: 9% less CPU for
// 17% more peak memory (250 MB); a full check of 10,000 documents costs
// the same CPU for 9% more peak; the example never collects.
const gcFloor = 256 << 20

func main() {
	switch {
	case os.Getenv("GOGC") != "":
	case os.Getenv("GOMEMLIMIT") != "":
		debug.SetGCPercent(gcPercent)
	default:
		gcFrom(gcFloor)
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

// gcFrom runs no collection until the process holds floor bytes, then
// collects at gcPercent, with no memory limit: the first collection, forced
// by the limit, finalizes an object allocated here, whose finalizer lifts
// the limit and restores the collector.
func gcFrom(floor int64) {
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(floor)
	first := &struct{ _ *int }{} // with a pointer: never a tiny allocation, whose finalizer may not run
	runtime.SetFinalizer(first, func(any) {
		debug.SetGCPercent(gcPercent)
		debug.SetMemoryLimit(math.MaxInt64)
	})
}

// run executes the command line and maps the outcome to an exit code.
func run(args []string, s Streams) int {
	cmd := NewCmdRoot(s)
	cmd.SetArgs(args)
	err := cmd.Execute()
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errFindings):
		return exitFindings
	}
	fmt.Fprintf(s.ErrOut, "aims: %v\n", err)
	return exitError
}
