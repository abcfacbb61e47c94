package vcs

import (
	"bytes"
	"compress/zlib"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// Every loose object of a random history (commits, trees, blobs) reads the
// same from its file as through go-git.
func TestLooseObjectsReadAsGoGit(t *testing.T) {
	dir := t.TempDir()
	randomRepo(t, dir, 7, 40, orderedDates)
	r := openRepo(t, dir)
	iter, err := r.st.IterEncodedObjects(plumbing.AnyObject)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	kinds := map[plumbing.ObjectType]int{}
	if err := iter.ForEach(func(o plumbing.EncodedObject) error {
		h := o.Hash()
		if _, err := os.Stat(filepath.Join(r.objects, h.String()[:2], h.String()[2:])); err != nil {
			return nil // packed
		}
		typ, data, err := r.looseObject(h)
		if err != nil {
			t.Fatalf("%s: %v", h, err)
		}
		wantTyp, want, err := r.looseObjectGoGit(h)
		if err != nil {
			t.Fatal(err)
		}
		if typ != wantTyp || !bytes.Equal(data, want) {
			t.Errorf("%s: read as %s (%d bytes), go-git reads %s (%d bytes)", h, typ, len(data), wantTyp, len(want))
		}
		n++
		kinds[typ]++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if n < 100 || kinds[plumbing.CommitObject] == 0 || kinds[plumbing.TreeObject] == 0 || kinds[plumbing.BlobObject] == 0 {
		t.Fatalf("compared %d loose objects (%v): the fixture no longer has loose objects of every kind", n, kinds)
	}
}

// A loose file that is not a well-formed object is an error, never a
// panic or a huge allocation.
func TestLooseObjectRefused(t *testing.T) {
	deflate := func(s string) []byte {
		var b bytes.Buffer
		z := zlib.NewWriter(&b)
		z.Write([]byte(s))
		z.Close()
		return b.Bytes()
	}
	for name, raw := range map[string][]byte{
		"not zlib":       []byte("plain text"),
		"no header end":  deflate("blob 5"),
		"unknown type":   deflate("thing 3\x00abc"),
		"bad size":       deflate("blob x\x00abc"),
		"negative size":  deflate("blob -1\x00"),
		"short content":  deflate("blob 10\x00abc"),
		"huge claim":     deflate("blob 99999999999\x00abc"),
		"truncated zlib": deflate("blob 3\x00abc")[:8],
	} {
		if typ, data, err := readLoose(bytes.NewReader(raw)); err == nil {
			t.Errorf("%s: read as %s %q", name, typ, data)
		} else if strings.Contains(err.Error(), "panic") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if typ, data, err := readLoose(bytes.NewReader(deflate("blob 3\x00abc"))); err != nil || typ != plumbing.BlobObject || string(data) != "abc" {
		t.Errorf("a well-formed object read as %s %q, %v", typ, data, err)
	}
}
