package load

import (
	"io/fs"
	"os"
	"reflect"
	"testing"
)

func TestMain(m *testing.M) {
	// Every Load in these tests overwrites a file's buffer once the file
	// is parsed: whatever still read it would read 0xff.
	poisonReleased = true
	os.Exit(m.Run())
}

// TestNothingKeepsTheFileBuffers loads both examples with the file
// buffers reused and overwritten once each file is parsed, and requires
// every document to be what parsing a private copy of its file gives: a
// value, a Markdown body, a number's source text or a position that still
// pointed into the buffer would differ.
func TestNothingKeepsTheFileBuffers(t *testing.T) {
	for _, root := range []string{"../../examples/northwind", "../../examples/first-steps"} {
		fsys := os.DirFS(root)
		// Two loads: the second reads into buffers the first gave back.
		for range 2 {
			set, err := Load(fsys, Options{Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			if len(set.Docs) == 0 {
				t.Fatalf("%s: no documents", root)
			}
			byFile := map[string][]*Document{}
			for _, d := range set.Docs {
				byFile[d.File] = append(byFile[d.File], d)
			}
			for file, docs := range byFile {
				data, err := fs.ReadFile(fsys, file)
				if err != nil {
					t.Fatal(err)
				}
				want, _ := ParseBytes(file, data)
				if len(want) != len(docs) {
					t.Fatalf("%s: %d documents loaded, %d parsed", file, len(docs), len(want))
				}
				for i := range docs {
					got, w := docs[i], want[i]
					settle(got)
					settle(w)
					if !reflect.DeepEqual(got.Value, w.Value) || got.Body != w.Body || !reflect.DeepEqual(got.posMap, w.posMap) || !reflect.DeepEqual(got.raw, w.raw) {
						t.Errorf("%s document %d: loaded with reused buffers differs from its own parse", file, i)
					}
				}
			}
		}
	}
}
