package main

import "testing"

// A binary from go install ...@main has no VCS stamp; its pseudo-version
// still names the commit.
func TestPseudoVersionCommit(t *testing.T) {
	for v, want := range map[string]string{
		"v0.0.0-20261130061253-c12f0a9d1e2f":         "c12f0a9d1e2f",
		"v0.1.1-0.20261130061253-c12f0a9d1e2f+dirty": "c12f0a9d1e2f",
		"v0.1.0": "",
		"dev":    "",
	} {
		got := ""
		if m := pseudoCommit.FindStringSubmatch(v); m != nil {
			got = m[1]
		}
		if got != want {
			t.Errorf("%s: commit %q, want %q", v, got, want)
		}
	}
}
