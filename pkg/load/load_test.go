package load

import (
	"io"
	"strings"
	"testing"
	"testing/fstest"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"github.com/aims-dev/aims/pkg/diag"
)

func loadMap(t *testing.T, files map[string]string) *Set {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, body := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(body)}
	}
	set, err := Load(fsys, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func diagStrings(l diag.List) []string {
	l.Sort()
	var out []string
	for _, d := range l {
		out = append(out, d.String())
	}
	return out
}

func TestPositionsPointAtKeysAndValues(t *testing.T) {
	set := loadMap(t, map[string]string{
		"risks/r.yaml": `apiVersion: aims/v1
kind: Risk
id: R-1
treatment:
  controls:
    - A.5.2
    - A.6.2.4
identified: 2025-06-19
`,
	})
	if len(set.Diags) != 0 {
		t.Fatalf("unexpected diagnostics: %v", diagStrings(set.Diags))
	}
	d := set.Docs[0]
	tests := []struct {
		name string
		got  diag.Pos
		want string
	}{
		{"key of a member", d.At("/treatment"), "risks/r.yaml:4:1"},
		{"value of a member", d.ValueAt("/treatment/controls"), "risks/r.yaml:6:5"},
		{"list item", d.At("/treatment/controls/1"), "risks/r.yaml:7:7"},
		{"missing field falls back to its parent key", d.At("/treatment/plan"), "risks/r.yaml:4:1"},
		{"document start", d.At(""), "risks/r.yaml:1:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got.String() != tt.want {
				t.Errorf("got %s, want %s", tt.got, tt.want)
			}
		})
	}
	// yaml.v3 would turn the bare date into time.Time; it must stay the text the user wrote.
	if got := d.Value["identified"]; got != "2025-06-19" {
		t.Errorf("date decoded as %#v, want the string", got)
	}
	if d.ID != "R-1" || d.Kind != "Risk" {
		t.Errorf("id/kind = %q/%q", d.ID, d.Kind)
	}
}

func TestMultiDocumentAndMarkdown(t *testing.T) {
	set := loadMap(t, map[string]string{
		"people.yaml": "apiVersion: aims/v1\nkind: Person\nid: alice\n---\napiVersion: aims/v1\nkind: Person\nid: bob\n",
		"policy.md":   "---\napiVersion: aims/v1\nkind: Policy\nid: POL-1\nowner: alice\n---\n# AI policy\n\nWe do good.\n",
		"README.md":   "# not a document\n",
		"notes.md":    "---\ntitle: a blog post\n---\ntext\n",
	})
	if len(set.Diags) != 0 {
		t.Fatalf("unexpected diagnostics: %v", diagStrings(set.Diags))
	}
	var ids []string
	for _, d := range set.Docs {
		ids = append(ids, d.ID)
	}
	if diff := cmp.Diff([]string{"alice", "bob", "POL-1"}, ids); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	pol := set.Docs[2]
	if got := pol.At("/owner").String(); got != "policy.md:5:1" {
		t.Errorf("front matter position %s, want policy.md:5:1", got)
	}
	if pol.Body != "# AI policy\n\nWe do good.\n" || pol.BodyLine != 7 {
		t.Errorf("body %q at line %d", pol.Body, pol.BodyLine)
	}
	if got := set.Docs[1].Start().String(); got != "people.yaml:5:1" {
		t.Errorf("second document starts at %s, want people.yaml:5:1", got)
	}
}

func TestBadInputIsDiagnosedWithPosition(t *testing.T) {
	tests := []struct {
		name string
		file string
		want string
	}{
		{"syntax error", "apiVersion: aims/v1\nkind: Risk\n  id: x\n", "a.yaml:3:5: error: YAML syntax: mapping values are not allowed in this context [AIMS-L001]"},
		{"duplicate key", "apiVersion: aims/v1\nkind: Risk\nid: a\nid: b\n", `a.yaml:4:1: error: duplicate key "id" [AIMS-L002]`},
		{"not a mapping", "- a\n- b\n", "a.yaml:1:1: error: a document must be a mapping of fields, not a list [AIMS-L002]"},
		{"not an AIMS document", "title: x\n", "a.yaml:1:1: error: not an AIMS document: no apiVersion or kind (add them, or exclude this path under documents.exclude in aims.yaml) [AIMS-L003]"},
		{"binary", "apiVersion: aims/v1\x00\x01", "a.yaml:1:20: error: not a UTF-8 text file: NUL byte [AIMS-L004]"},
		{"yaml 1.1 boolean", "apiVersion: aims/v1\nkind: Risk\nanswer: no\n", `a.yaml:3:9: warning: unquoted no is a string here but a boolean to YAML 1.1 tools; write "no" or true/false [AIMS-Y001]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Under documents.include, so that a file without apiVersion is read.
			manifest := "apiVersion: aims/v1\nkind: Manifest\ndocuments:\n  include: [\"**\"]\n"
			set := loadMap(t, map[string]string{"a.yaml": tt.file, ManifestFile: manifest})
			got := diagStrings(set.Diags)
			if diff := cmp.Diff([]string{tt.want}, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestHostileInputIsBounded(t *testing.T) {
	// The classic "billion laughs": each level doubles ten times.
	var b strings.Builder
	b.WriteString("apiVersion: aims/v1\nkind: Risk\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 9; i++ {
		b.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	deep := "apiVersion: aims/v1\nkind: Risk\nx: " + strings.Repeat("[", 500) + strings.Repeat("]", 500) + "\n"
	// A mapping that merges itself recursed until the stack overflowed.
	selfMerge := "apiVersion: aims/v1\nkind: Risk\na: &a {<<: *a}\n"
	for name, body := range map[string]string{"alias bomb": b.String(), "deep nesting": deep, "self merge": selfMerge} {
		t.Run(name, func(t *testing.T) {
			set := loadMap(t, map[string]string{"a.yaml": body})
			if len(set.Docs) != 0 || set.Diags.Max() != diag.Error {
				t.Fatalf("want the document refused with an error, got %d docs, %v", len(set.Docs), diagStrings(set.Diags))
			}
			if !strings.Contains(set.Diags[0].Pos.String(), "a.yaml:") {
				t.Errorf("diagnostic has no position: %v", set.Diags[0])
			}
		})
	}
}

func TestExcludeAndMergeKeys(t *testing.T) {
	set := loadMap(t, map[string]string{
		"aims.yaml":            "apiVersion: aims/v1\nkind: Manifest\ndocuments:\n  exclude: [evidence/, \"**/*.tmp.yaml\"]\n",
		"evidence/result.yaml": "metric: dpd\nvalue: 0.02\n",
		"x/y.tmp.yaml":         "junk: true\n",
		"base.yaml":            "apiVersion: aims/v1\nkind: Risk\nid: R\ndefaults: &d {owner: alice, likelihood: 2}\nmerged:\n  <<: *d\n  likelihood: 3\n",
	})
	if len(set.Diags) != 0 {
		t.Fatalf("unexpected diagnostics: %v", diagStrings(set.Diags))
	}
	if len(set.Docs) != 2 {
		t.Fatalf("got %d documents, want aims.yaml and base.yaml", len(set.Docs))
	}
	merged := set.Docs[1].Value["merged"].(map[string]any)
	if diff := cmp.Diff(map[string]any{"owner": "alice", "likelihood": int64(3)}, merged); diff != "" {
		t.Errorf("merge (-want +got):\n%s", diff)
	}
}

// TestReadAllWhateverTheSize reads a file whose size changed between the
// walk and the read: a file that grew or shrank is still read whole.
func TestReadAllWhateverTheSize(t *testing.T) {
	const text = "apiVersion: aims/v1\nkind: Risk\nid: r\n"
	for _, size := range []int64{0, 1, int64(len(text)) - 1, int64(len(text)), int64(len(text)) + 1, 4096} {
		for name, r := range map[string]func() io.Reader{
			"reader":     func() io.Reader { return strings.NewReader(text) },
			"one byte":   func() io.Reader { return iotest.OneByteReader(strings.NewReader(text)) },
			"data + EOF": func() io.Reader { return iotest.DataErrReader(strings.NewReader(text)) },
		} {
			got, err := readAll(r(), size, nil)
			if err != nil || string(got) != text {
				t.Errorf("size %d, %s: read %q, %v", size, name, got, err)
			}
		}
	}
}
