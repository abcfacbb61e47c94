package vcs

import (
	"fmt"
	"os"
	"testing"
)

func TestProbeSeeds(t *testing.T) {
	if os.Getenv("PROBE") == "" {
		t.Skip()
	}
	for seed := uint64(10); seed < 130; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			dir := t.TempDir()
			branches := randomRepo(t, dir, seed, 400, seed%2 == 0)
			for _, br := range branches {
				compareWithGit(t, dir, br, "sub/aims")
				compareWithGit(t, dir, br, "")
			}
		})
	}
}
