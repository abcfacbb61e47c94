package vcs

import (
	"fmt"
	"strings"
	"testing"
)

// FuzzResolve resolves arbitrary revision strings in the story repository.
// It must not panic; a revision it accepts must name one of the story's
// commits, and every refusal must quote the revision it refuses.
func FuzzResolve(f *testing.F) {
	for _, seed := range []string{"HEAD", "v2^2", "HEAD~2^{commit}", "v2^{}", "HEAD:x", "HEAD^{blob}", "@{1}", "a..b", "main~", "^", "~", "0000", "feature^^^", "refs/tags/v2^{tag}"} {
		f.Add(seed)
	}
	s := newStory(f)
	r := openRepo(f, s.dir)
	known := map[string]bool{}
	for _, h := range []string{s.c1.String(), s.c2.String(), s.f1.String(), s.c3.String(), s.m.String(), s.c4.String(), s.c5.String()} {
		known[h] = true
	}
	f.Fuzz(func(t *testing.T, rev string) {
		c, err := r.Resolve(rev)
		if err != nil {
			if !strings.Contains(err.Error(), fmt.Sprintf("%q", rev)) {
				t.Errorf("error for %q does not quote it: %v", rev, err)
			}
			return
		}
		if !known[c.Hash] {
			t.Errorf("Resolve(%q) = %s, not a commit of the story", rev, c.Hash)
		}
	})
}
