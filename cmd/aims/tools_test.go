package main

import (
	"os"
	"os/exec"
	"testing"
)

// Tests that drive tools users already run (pre-commit, Chromium with
// axe-core, ajv, markdownlint, yamllint) need those tools installed. .ci/run
// installs them and sets AIMS_TOOL_TESTS=1; there a missing tool fails the
// test. Elsewhere these tests skip, saying how to run them, so that make test
// stays offline and does not depend on which tool versions a machine has.
const toolTestsEnv = "AIMS_TOOL_TESTS"

// needTool returns the path of an external program a test drives, skipping
// the test unless AIMS_TOOL_TESTS is set to anything but 0.
func needTool(t *testing.T, name string) string {
	t.Helper()
	if v := os.Getenv(toolTestsEnv); v == "" || v == "0" { // .ci/run documents 0 as "skip them"
		t.Skipf("drives %s: run with %s=1 (.ci/run installs the tools and sets it)", name, toolTestsEnv)
	}
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s=1 but %s is not installed: %v", toolTestsEnv, name, err)
	}
	return p
}
