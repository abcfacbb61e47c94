package scaffold

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func TestPlanResolvesSchemaHintsAndAddsSchemas(t *testing.T) {
	src := fstest.MapFS{
		"aims.yaml":               {Data: []byte("# $schema=$SCHEMAS/manifest.schema.json\n")},
		"organization/roles.yaml": {Data: []byte("# $schema=$SCHEMAS/role.schema.json\n")},
	}
	files, err := Plan(src)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range files {
		got[f.Name] = string(f.Data)
	}
	if want := "# $schema=.aims/schemas/manifest.schema.json\n"; got["aims.yaml"] != want {
		t.Errorf("aims.yaml = %q, want %q", got["aims.yaml"], want)
	}
	if want := "# $schema=../.aims/schemas/role.schema.json\n"; got["organization/roles.yaml"] != want {
		t.Errorf("roles.yaml = %q, want %q", got["organization/roles.yaml"], want)
	}
	if !strings.Contains(got[".aims/schemas/risk.schema.json"], `"$schema"`) {
		t.Errorf("the risk schema is not exported: %v", keys(got))
	}
}

// A failure part-way must not leave a partial scaffold that a rerun then
// refuses to touch (issue 12, defect 8). The second file cannot be written
// because the first one is in the way of its folder.
func TestWriteFailurePartWayLeavesNothing(t *testing.T) {
	for _, tc := range []struct{ name, target string }{
		{"new folder", "new/aims"},
		{"existing folder", "."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "mine.txt"), []byte("user data"), 0o644); err != nil {
				t.Fatal(err)
			}
			target := filepath.Join(dir, tc.target)
			err := Write(target, []File{
				{Name: "aims.yaml", Data: []byte("a")},
				{Name: "organization/roles.yaml", Data: []byte("b")},
				{Name: "aims.yaml/oops.yaml", Data: []byte("c")},
			})
			if err == nil {
				t.Fatal("Write succeeded although a file is in the way of a folder")
			}
			var left []string
			_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
				if p != dir {
					rel, _ := filepath.Rel(dir, p)
					left = append(left, rel)
				}
				return err
			})
			if strings.Join(left, " ") != "mine.txt" {
				t.Errorf("after a failed write the folder holds %v, want only mine.txt", left)
			}
		})
	}
}

func TestWriteCreatesEveryFile(t *testing.T) {
	target := filepath.Join(t.TempDir(), "x")
	files := []File{{Name: "aims.yaml", Data: []byte("a")}, {Name: "risk/register.yaml", Data: []byte("b")}}
	if err := Write(target, files); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(target, f.Name))
		if err != nil || string(b) != string(f.Data) {
			t.Errorf("%s = %q, %v", f.Name, b, err)
		}
	}
	ents, _ := os.ReadDir(target)
	if len(ents) != 2 {
		t.Errorf("temporary folder left behind: %v", ents)
	}
	if c, _, _ := Conflicts(target, files); len(c) != 2 {
		t.Errorf("Conflicts after writing = %v, want both files", c)
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestExportSchemasReplacesOnlyItsOwnFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "schemas")
	n, err := ExportSchemas(dir)
	if err != nil || n < 20 {
		t.Fatalf("ExportSchemas = %d, %v", n, err)
	}
	mine := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(mine, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "risk.schema.json"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ExportSchemas(dir); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "risk.schema.json")); string(b) == "old" {
		t.Error("an older export was not replaced")
	}
	if b, _ := os.ReadFile(mine); string(b) != "mine" {
		t.Errorf("another file in the folder changed: %q", b)
	}
}
