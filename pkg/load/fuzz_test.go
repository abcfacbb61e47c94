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

// FuzzFrontMatter feeds Markdown with arbitrary front matter and body, in
// any line-ending style. A document must carry its body, the body must start
// after the front matter, and every position must be inside the file.
func FuzzFrontMatter(f *testing.F) {
	for _, seed := range [][2]string{
		{"apiVersion: aims/v1\nkind: Policy\nid: p\n", "# Policy\n"},
		{"apiVersion: aims/v1\nkind: Policy\nid: [x\n", "body"},
		{"title: not aims\n", "README"},
		{"apiVersion: aims/v1\n---\nkind: Policy\n", ""},
		{"apiVersion: aims/v1\r\nkind: Policy\r\n", "crlf\r\n"},
		{"apiVersion: aims/v1\rkind: Policy\rid: p\r", "cr only\r"},
		{"a: &a [*a]\napiVersion: aims/v1\n", "x"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, front, body string) {
		data := "---\n" + front + "\n---\n" + body
		set, err := Load(fstest.MapFS{"p.md": {Data: []byte(data)}}, Options{})
		if err != nil {
			t.Fatalf("read error on an in-memory file: %v", err)
		}
		norm := strings.ReplaceAll(strings.ReplaceAll(data, "\r\n", "\n"), "\r", "\n")
		lines := strings.Count(norm, "\n") + 1
		for _, d := range set.Diags {
			if d.Pos.File != "p.md" || d.Pos.Line > lines {
				t.Errorf("diagnostic outside the file (%d lines): %v", lines, d)
			}
		}
		for _, d := range set.Docs {
			if d.BodyLine < 3 || d.BodyLine > lines+1 || d.Start().Line < 2 || d.Start().Line >= d.BodyLine {
				t.Errorf("document at line %d with body at line %d in a file of %d lines", d.Start().Line, d.BodyLine, lines)
			}
		}
	})
}
