package load

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"testing/fstest"
)

// walkDir visits what fs.WalkDir visits, in the same order, with the same
// paths and errors, and honours SkipDir and SkipAll the same way.
func TestWalkDirAsFSWalkDir(t *testing.T) {
	mapFS := fstest.MapFS{
		"a.yaml": {}, "b/c.yaml": {}, "b/d/e.md": {}, "b/skip/f.yaml": {}, "b/z.yaml": {},
		"stop/x.yaml": {}, "y/1.yaml": {}, ".git/config": {},
	}
	disk := t.TempDir()
	for _, p := range []string{"a/b.yaml", "a/locked/c.yaml", "d.yaml"} {
		os.MkdirAll(filepath.Join(disk, filepath.Dir(p)), 0o755)
		os.WriteFile(filepath.Join(disk, p), nil, 0o644)
	}
	os.Chmod(filepath.Join(disk, "a", "locked"), 0)
	defer os.Chmod(filepath.Join(disk, "a", "locked"), 0o755)
	for _, tc := range []struct {
		name string
		fsys fs.FS
		stop func(p string, d fs.DirEntry) error
	}{
		{"all", mapFS, func(string, fs.DirEntry) error { return nil }},
		{"skip a folder", mapFS, func(p string, d fs.DirEntry) error {
			if p == "b/skip" || p == ".git" {
				return fs.SkipDir
			}
			return nil
		}},
		{"skip the rest of a folder from a file", mapFS, func(p string, d fs.DirEntry) error {
			if p == "b/d/e.md" {
				return fs.SkipDir
			}
			return nil
		}},
		{"skip all", mapFS, func(p string, d fs.DirEntry) error {
			if p == "stop" {
				return fs.SkipAll
			}
			return nil
		}},
		{"an error", mapFS, func(p string, d fs.DirEntry) error {
			if p == "b/z.yaml" {
				return errors.New("stop here")
			}
			return nil
		}},
		{"an unreadable folder", os.DirFS(disk), func(string, fs.DirEntry) error { return nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			visit := func(got *[]string) fs.WalkDirFunc {
				return func(p string, d fs.DirEntry, err error) error {
					*got = append(*got, fmt.Sprintf("%s %v", p, err))
					if err != nil {
						return nil
					}
					return tc.stop(p, d)
				}
			}
			var want, got []string
			werr := fs.WalkDir(tc.fsys, ".", visit(&want))
			gerr := walkDir(tc.fsys, visit(&got))
			if !slices.Equal(want, got) || fmt.Sprint(werr) != fmt.Sprint(gerr) {
				t.Errorf("fs.WalkDir: %q, %v\nwalkDir:    %q, %v", want, werr, got, gerr)
			}
		})
	}
}
