package load

import (
	"strings"
	"testing"
	"testing/fstest"
)

// FuzzLoad feeds arbitrary bytes to the loader as a YAML and a Markdown file.
// Whatever the input, it must not panic, and every diagnostic must name the
// file (a problem a user cannot locate is a defect).
func FuzzLoad(f *testing.F) {
	for _, seed := range []string{
		"apiVersion: aims/v1\nkind: Risk\nid: r\n",
		"a: &a [*a]\n",
		"---\n---\n- x\n",
		"apiVersion: aims/v1\nkind: Risk\n<<: {x: 1}\nid: 7.4\n",
		"---\napiVersion: aims/v1\nkind: Policy\n---\nbody\n",
		"key: \"unterminated\n",
		"\x00\xff",
		strings.Repeat("[", 200),
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{"x.yaml": {Data: data}, "y.md": {Data: data}}
		// Everything included, so the fuzzer reaches every parse path.
		set, err := Load(fsys, Options{Exclude: []string{}, Include: []string{"**"}})
		if err != nil {
			t.Fatalf("read error on in-memory files: %v", err)
		}
		for _, d := range set.Diags {
			if d.Pos.File == "" {
				t.Errorf("diagnostic without a file: %v", d)
			}
		}
		for _, d := range set.Docs {
			if d.Value == nil || !d.Start().IsValid() {
				t.Errorf("document without value or position: %+v", d)
			}
		}
	})
}
