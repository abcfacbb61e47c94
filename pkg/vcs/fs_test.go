package vcs

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

func TestFSAtOlderCommit(t *testing.T) {
	s := newStory(t)
	r := openRepo(t, s.dir)
	fsys, c, err := r.FS("v1")
	if err != nil {
		t.Fatal(err)
	}
	if c.Hash != s.c2.String() {
		t.Errorf("FS(v1) commit = %s, want %s", c.Short(), s.c2.String()[:7])
	}

	var got []string
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		got = append(got, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		".", "README.md", "aims", "aims/both.yaml", "aims/dup.yaml", "aims/link.yaml",
		"aims/old.yaml", "aims/policy.yaml", "aims/risks", "aims/risks/r1.yaml",
		"aims/tools", "aims/tools/check.sh",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("WalkDir at v1 (-want +got):\n%s", diff)
	}

	data, err := fs.ReadFile(fsys, "aims/policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != s.policyV2 {
		t.Errorf("policy.yaml at v1 = %q, want %q", data, s.policyV2)
	}
	onDisk, err := os.ReadFile(filepath.Join(s.dir, "aims", "policy.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if string(onDisk) != s.policyV3 {
		t.Errorf("work tree policy.yaml = %q, want HEAD's %q untouched", onDisk, s.policyV3)
	}

	// Reading through Open must give the same bytes as ReadFile.
	f, err := fsys.Open("aims/policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	streamed, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	if string(streamed) != s.policyV2 {
		t.Errorf("Open+Read = %q, want %q", streamed, s.policyV2)
	}
}

func TestFSStat(t *testing.T) {
	s := newStory(t)
	r := openRepo(t, s.dir)
	fsys, c, err := r.FS("v1")
	if err != nil {
		t.Fatal(err)
	}
	type stat struct {
		Size int64
		Mode fs.FileMode
	}
	tests := []struct {
		name string
		want stat
	}{
		{"aims/policy.yaml", stat{int64(len(s.policyV2)), 0o644}},
		{"aims/tools/check.sh", stat{int64(len("#!/bin/sh\n")), 0o755}},
		{"aims", stat{0, fs.ModeDir | 0o755}},
		{".", stat{0, fs.ModeDir | 0o755}},
		{"aims/link.yaml", stat{int64(len("policy.yaml")), fs.ModeSymlink | 0o777}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fi, err := fs.Stat(fsys, tt.name)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, stat{fi.Size(), fi.Mode()}); diff != "" {
				t.Errorf("Stat (-want +got):\n%s", diff)
			}
			if !fi.ModTime().Equal(c.Committed) {
				t.Errorf("ModTime = %v, want the commit's date %v", fi.ModTime(), c.Committed)
			}
		})
	}

	ents, err := fs.ReadDir(fsys, "aims")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, e.Name()+" "+info.Mode().String())
	}
	want := []string{
		"both.yaml -rw-r--r--", "dup.yaml -rw-r--r--", "link.yaml Lrwxrwxrwx", "old.yaml -rw-r--r--",
		"policy.yaml -rw-r--r--", "risks drwxr-xr-x", "tools drwxr-xr-x",
	}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("ReadDir(aims) (-want +got):\n%s", diff)
	}
}

func TestFSRefusesLinksAndBadPaths(t *testing.T) {
	s := newStory(t)
	r := openRepo(t, s.dir)
	fsys, _, err := r.FS("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		op      func() error
		notWant error // the error must not be this: a link is not a missing file
		want    error
	}{
		{"open symlink", func() error { _, err := fsys.Open("aims/link.yaml"); return err }, fs.ErrNotExist, nil},
		{"read symlink", func() error { _, err := fs.ReadFile(fsys, "aims/link.yaml"); return err }, fs.ErrNotExist, nil},
		{"through symlink", func() error { _, err := fsys.Open("aims/link.yaml/x"); return err }, nil, fs.ErrNotExist},
		{"missing", func() error { _, err := fs.Stat(fsys, "aims/nope.yaml"); return err }, nil, fs.ErrNotExist},
		{"file as dir", func() error { _, err := fs.ReadDir(fsys, "aims/policy.yaml"); return err }, nil, nil},
		{"dir as file", func() error { _, err := fs.ReadFile(fsys, "aims"); return err }, nil, nil},
		{"escape", func() error { _, err := fsys.Open("../etc/passwd"); return err }, nil, fs.ErrInvalid},
		{"absolute", func() error { _, err := fsys.Open("/aims"); return err }, nil, fs.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.op()
			if err == nil {
				t.Fatal("no error")
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
			if tt.notWant != nil && errors.Is(err, tt.notWant) {
				t.Errorf("err = %v, must not be %v", err, tt.notWant)
			}
		})
	}
}

// TestFSConformance runs the standard library's fs.FS checks on a commit
// without symbolic links (fstest expects every listed file to open).
func TestFSConformance(t *testing.T) {
	s := newStory(t)
	r := openRepo(t, s.dir)
	fsys, _, err := r.FS(s.c4.String())
	if err != nil {
		t.Fatal(err)
	}
	sub, err := fs.Sub(fsys, "aims/risks")
	if err != nil {
		t.Fatal(err)
	}
	if err := fstest.TestFS(sub, "r1.yaml", "r2.yaml", "deep/r3.yaml"); err != nil {
		t.Error(err)
	}
}
