package vcs

import (
	"os"
	"testing"
)

func TestProbeKeep(t *testing.T) {
	if os.Getenv("PROBE") == "" {
		t.Skip()
	}
	dir := "/tmp/probe27"
	os.RemoveAll(dir)
	os.MkdirAll(dir, 0o755)
	randomRepo(t, dir, 27, 400, false)
}
