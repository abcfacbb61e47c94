package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The README shows real commands with their real output. Every console
// example that runs aims on the shipped examples or testdata, with a fixed
// date where dates matter, is run here and must print exactly what the
// README says.
func TestREADMECommands(t *testing.T) {
	t.Chdir("../..")
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, block := range consoleBlocks(string(b)) {
		for _, ex := range consoleExamples(block) {
			args, writes, ok := deterministic(ex.command)
			if !ok {
				continue
			}
			ran++
			t.Run(ex.command, func(t *testing.T) {
				if writes {
					// A command that writes files (-o, init, schema --out)
					// runs in a scratch folder, with -C pointing back at the
					// repository, so the files land there and the message
					// names them as shown.
					if args[0] == "-C" {
						abs, err := filepath.Abs(args[1])
						if err != nil {
							t.Fatal(err)
						}
						args = append([]string{args[0], abs}, args[2:]...)
					}
					t.Chdir(t.TempDir())
				}
				out, errOut, _ := runCLI(t, args...)
				got := strings.TrimRight(out+errOut, "\n")
				// A README example may show only the start of long output,
				// ending with a line "...".
				if want, ok := strings.CutSuffix(ex.output, "\n..."); ok {
					ex.output = want
					if lines := strings.Split(got, "\n"); len(lines) > strings.Count(want, "\n")+1 {
						got = strings.Join(lines[:strings.Count(want, "\n")+1], "\n")
					}
				}
				if diff := cmp.Diff(ex.output, got); diff != "" {
					t.Errorf("README output differs (-readme +actual):\n%s", diff)
				}
			})
		}
	}
	if ran < 2 {
		t.Errorf("found %d runnable README examples; the quick start and the validate example should be checked", ran)
	}
}

type example struct{ command, output string }

func consoleBlocks(md string) []string {
	var blocks []string
	for _, part := range strings.Split(md, "```console\n")[1:] {
		end := strings.Index(part, "```")
		if end >= 0 {
			blocks = append(blocks, part[:end])
		}
	}
	return blocks
}

func consoleExamples(block string) []example {
	var out []example
	for _, line := range strings.Split(strings.TrimRight(block, "\n"), "\n") {
		if cmd, ok := strings.CutPrefix(line, "$ "); ok {
			out = append(out, example{command: cmd})
			continue
		}
		if len(out) > 0 {
			e := &out[len(out)-1]
			if e.output != "" {
				e.output += "\n"
			}
			e.output += line
		}
	}
	return out
}

// deterministic returns the aims arguments of a README command whose output
// cannot depend on the day or machine: it reads the repository's examples
// or testdata, and fixes the date unless it only validates.
func deterministic(command string) (args []string, writes, ok bool) {
	var rest string
	switch {
	case strings.HasPrefix(command, "go run ./cmd/aims "):
		rest = strings.TrimPrefix(command, "go run ./cmd/aims ")
	case strings.HasPrefix(command, "aims "):
		rest = strings.TrimPrefix(command, "aims ")
	default:
		return nil, false, false
	}
	if strings.ContainsAny(rest, "#|>") {
		return nil, false, false
	}
	args = strings.Fields(rest)
	switch {
	case len(args) > 0 && args[0] == "explain":
		return args, false, true // reads no AIMS and no date
	case len(args) == 2 && args[0] == "init":
		return args, true, true // a new scaffold in a scratch folder
	case len(args) == 3 && args[0] == "schema" && args[1] == "--out":
		return args, true, true
	}
	for _, a := range args {
		switch a {
		case "init":
			return nil, false, false
		case "-o", "--output":
			writes = true
		}
	}
	if len(args) < 3 || args[0] != "-C" || !(strings.HasPrefix(args[1], "examples/") || strings.HasPrefix(args[1], "testdata/")) {
		return nil, false, false
	}
	if args[2] != "validate" && !strings.Contains(rest, "--as-of") {
		return nil, false, false
	}
	return args, writes, true
}
