// Command aimsgen writes a generated AIMS for benchmarks:
//
//	go run ./cmd/aimsgen -systems 1000 -out /tmp/aims-10k [-commits 5000]
//
// The AIMS is the Northwind example plus N copies of its AI systems with
// their documents (about ten per system), each in a file of its own; with
// -commits it is also a git repository of that many commits touching them.
// `aims -C DIR check --as-of 2026-12-01` exits 0 on it.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/aims-dev/aims/pkg/synth"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, out, errOut io.Writer) int {
	fl := flag.NewFlagSet("aimsgen", flag.ContinueOnError)
	fl.SetOutput(errOut)
	systems := fl.Int("systems", 100, "generated AI systems (about ten documents each) on top of the example")
	dir := fl.String("out", "", "folder to write; must not exist or be empty")
	commits := fl.Int("commits", 0, "also make it a git repository of this many commits (0: no git)")
	seed := fl.Uint64("seed", 1, "seed of the git history's edits")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if *dir == "" || *systems < 0 || *commits < 0 || fl.NArg() > 0 {
		fmt.Fprintln(errOut, "usage: aimsgen -systems N -out DIR [-commits C] [-seed S]")
		return 2
	}
	files, err := synth.Generate(*systems)
	if err == nil {
		err = synth.Write(*dir, files)
	}
	if err == nil {
		err = synth.History(*dir, files, *commits, *seed)
	}
	if err != nil {
		fmt.Fprintf(errOut, "aimsgen: %v\n", err)
		return 2
	}
	fmt.Fprintf(out, "wrote %s: %d documents in %d files", *dir, files.Documents(), len(files))
	if *commits > 0 {
		fmt.Fprintf(out, ", %d commits", *commits)
	}
	fmt.Fprintln(out)
	return 0
}
