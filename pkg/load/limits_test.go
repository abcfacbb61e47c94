package load

import (
	"fmt"
	"io/fs"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

// bombDocs is the alias bomb of issue 12: n small documents, each doubling
// a list 16 times (2^17 values once expanded, below the per-document limit
// that used to be the only one).
func bombDocs(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString("---\n")
		}
		b.WriteString("apiVersion: aims/v1\nkind: Risk\nx0: &x0 [a, b]\n")
		for k := 1; k <= 16; k++ {
			fmt.Fprintf(&b, "x%d: &x%d [*x%d, *x%d]\n", k, k, k-1, k-1)
		}
	}
	return b.String()
}

// flatList is the other shape of defect 2: one cheap-looking list of n
// values, which yaml.v3 turned into n nodes before any limit was checked.
func flatList(n int) string {
	return "apiVersion: aims/v1\nkind: Risk\nx: [" + strings.Repeat("1,", n-1) + "1]\n"
}

func loadFS(t testing.TB, fsys fs.FS, opts Options) *Set {
	t.Helper()
	set, err := Load(fsys, opts)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// Defect 1: the expansion budget is per file and per run, not per document.
// Each bomb document expands to about 262,000 values; the file stops at the
// node that crosses the file's budget instead of paying that 1,000 times.
func TestAliasBombAcrossDocumentsIsRefused(t *testing.T) {
	set := loadFS(t, fstest.MapFS{"bomb.yaml": {Data: []byte(bombDocs(1000))}}, Options{})
	got := diagStrings(set.Diags)
	want := []string{fmt.Sprintf("bomb.yaml:6:10: error: the file expands to more than %d values (alias bomb?); the rest of it is not read [AIMS-L002]", MaxFileValues)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if len(set.Docs) > 1 {
		t.Errorf("%d bomb documents kept, want at most the first", len(set.Docs))
	}
}

func TestRunBudgetsSpanFiles(t *testing.T) {
	small := Limits{FileValues: 1000, RunValues: 2500, RunBytes: 1 << 20}
	fsys := fstest.MapFS{}
	for i := range 5 {
		fsys[fmt.Sprintf("f%d.yaml", i)] = &fstest.MapFile{Data: []byte(flatList(900))}
	}
	set := loadFS(t, fsys, Options{Limits: small})
	want := []string{"aims.yaml: error: the AIMS holds more than 2500 values in all, aliases expanded; only aims.yaml was read [AIMS-L002]"}
	if diff := cmp.Diff(want, diagStrings(set.Diags)); diff != "" {
		t.Errorf("5 files of 900 values under a run budget of 2500 (-want +got):\n%s", diff)
	}
	if len(set.Docs) != 0 {
		t.Errorf("%d documents read, want none (there is no aims.yaml)", len(set.Docs))
	}

	// A file refused on its own does not spend the run's budget.
	over := fstest.MapFS{}
	for i := range 4 {
		over[fmt.Sprintf("f%d.yaml", i)] = &fstest.MapFile{Data: []byte(flatList(1200))}
	}
	set = loadFS(t, over, Options{Limits: small})
	if got := len(set.Diags); got != 4 {
		t.Errorf("4 files over the file limit: %d diagnostics, want one each:\n%s", got, strings.Join(diagStrings(set.Diags), "\n"))
	}

	// Aliases expand only while parsing: files small to the scan that
	// expand beyond the run's budget together leave only aims.yaml read.
	bomb := "apiVersion: aims/v1\nkind: Risk\nx0: &x0 [a, b, c, d, e, f, g, h, i, j]\n" +
		"x1: &x1 [*x0, *x0, *x0, *x0, *x0, *x0, *x0, *x0]\nx2: [*x1, *x1, *x1, *x1, *x1, *x1, *x1, *x1, *x1, *x1]\n"
	aliased := fstest.MapFS{"aims.yaml": {Data: []byte("apiVersion: aims/v1\nkind: Manifest\n")}}
	for i := range 5 {
		aliased[fmt.Sprintf("f%d.yaml", i)] = &fstest.MapFile{Data: []byte(bomb)}
	}
	set = loadFS(t, aliased, Options{Limits: small})
	want = []string{"aims.yaml: error: the AIMS holds more than 2500 values in all, aliases expanded; only aims.yaml was read [AIMS-L002]"}
	if diff := cmp.Diff(want, diagStrings(set.Diags)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if len(set.Docs) != 1 || set.Docs[0].Kind != "Manifest" {
		t.Errorf("documents read: %d, want only the manifest", len(set.Docs))
	}

	bytesOnly := Limits{RunBytes: 3 * len(flatList(900))}
	set = loadFS(t, fsys, Options{Limits: bytesOnly})
	if n := len(set.Docs); n != 3 {
		t.Errorf("%d files read under a run budget of 3 files' bytes, want 3", n)
	}
	if s := strings.Join(diagStrings(set.Diags), "\n"); !strings.Contains(s, "f3.yaml: error: the AIMS holds more than 0 MiB of documents in all; this file and the rest are not read [AIMS-L004]") {
		t.Errorf("no byte-budget diagnostic at the first file over it:\n%s", s)
	}
}

// Defect 2: a flat list is refused by the scan, before yaml.v3 allocates a
// node per value; the message says so.
func TestFlatListIsRefusedBeforeTheTreeIsBuilt(t *testing.T) {
	set := loadFS(t, fstest.MapFS{"flat.yaml": {Data: []byte(flatList(300_000))}}, Options{})
	got := diagStrings(set.Diags)
	want := []string{fmt.Sprintf("flat.yaml:1:1: error: the file holds more than %d values; it is not read [AIMS-L002]", MaxFileValues)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// BenchmarkHostileFiles measures the two inputs of issue 12's "done when":
// the 1,000-document alias bomb and the 8 MiB flat list must each be refused
// in under 2 s and 200 MB (see README, Limits).
func BenchmarkHostileFiles(b *testing.B) {
	for name, data := range map[string]string{
		"alias-bomb-1000-docs": bombDocs(1000),
		"flat-list-8MiB":       flatList(8<<20/2 - 64),
	} {
		fsys := fstest.MapFS{"x.yaml": {Data: []byte(data)}}
		b.Run(name, func(b *testing.B) {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			before := ms.TotalAlloc
			for b.Loop() {
				set := loadFS(b, fsys, Options{})
				if set.Diags.Max() == 0 {
					b.Fatal("hostile file accepted")
				}
			}
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(ms.TotalAlloc-before)/float64(b.N)/(1<<20), "MB-alloc/op")
		})
	}
}

// Defect 9: invalid UTF-8 at its line and column; CR-only line endings;
// symlinked documents named, not skipped in silence.
func TestTextProblemsArePositioned(t *testing.T) {
	tests := []struct {
		name string
		fsys fstest.MapFS
		want []string
	}{
		{"invalid UTF-8", fstest.MapFS{"a.yaml": {Data: []byte("apiVersion: aims/v1\nkind: Risk\ntitle: caf\xe9 risk\n")}},
			[]string{"a.yaml:3:11: error: not a UTF-8 text file: invalid byte 0xe9 [AIMS-L004]"}},
		{"NUL byte", fstest.MapFS{"a.yaml": {Data: []byte("apiVersion: aims/v1\nkind: Risk\nid: \x00\n")}},
			[]string{"a.yaml:3:5: error: not a UTF-8 text file: NUL byte [AIMS-L004]"}},
		{"symlinked document", fstest.MapFS{"a.yaml": {Data: []byte("x"), Mode: fs.ModeSymlink}},
			[]string{"a.yaml: error: symbolic link not read: aims never follows links; put the document itself here [AIMS-L004]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := diagStrings(loadFS(t, tt.fsys, Options{}).Diags)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestCROnlyMarkdownIsRead(t *testing.T) {
	md := strings.ReplaceAll("---\napiVersion: aims/v1\nkind: Policy\nid: p\ntitle: x\n---\n# Policy\nbody\n", "\n", "\r")
	set := loadFS(t, fstest.MapFS{"p.md": {Data: []byte(md)}}, Options{})
	if len(set.Docs) != 1 {
		t.Fatalf("CR-only Markdown: %d documents, diags %v", len(set.Docs), diagStrings(set.Diags))
	}
	d := set.Docs[0]
	if d.ID != "p" || d.Body != "# Policy\nbody\n" || d.BodyLine != 7 || d.At("/title").String() != "p.md:5:1" {
		t.Errorf("got id %q body %q at line %d, title at %s", d.ID, d.Body, d.BodyLine, d.At("/title"))
	}
}
