//go:build linux

package workspace

import (
	"os"
	"testing"
)

// On Linux folders are listed through descriptors, never through a link:
// a folder that is a link, or lies beyond one, is left to the os.Root.
func TestFastReadDirNeverFollowsLinks(t *testing.T) {
	root := linkTree(t)
	r, err := os.OpenRoot(root)
	if err != nil {
		t.Fatal(err)
	}
	d := newDirFS(r)
	defer d.Close()
	for _, tt := range []struct {
		name string
		fast bool
	}{
		{".", true}, {"a", true}, {"a/b/c", true}, {"evidence", true},
		{"a/out", false}, {"a/inside", false}, {"a/inside/c", false}, {"a/b/ev", false}, {"abs", false}, {"a/missing", false},
	} {
		if _, ok := d.fastReadDir(tt.name); ok != tt.fast {
			t.Errorf("fastReadDir(%q) listed: %v, want %v", tt.name, ok, tt.fast)
		}
	}
}
