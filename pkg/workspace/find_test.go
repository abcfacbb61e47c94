package workspace

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Started at a repository's root, aims finds the AIMS kept in a folder; two
// of them are ambiguous and named; hidden folders and deeper trees are not
// searched.
func TestLocate(t *testing.T) {
	mk := func(t *testing.T, dirs ...string) string {
		t.Helper()
		root := t.TempDir()
		for _, d := range dirs {
			if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(root, d, "aims.yaml"), []byte("apiVersion: aims/v1\nkind: Manifest\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return root
	}
	t.Run("one below", func(t *testing.T) {
		root := mk(t, "compliance/aims", "compliance/aims/examples/x", ".git/aims", "a/b/c/d")
		got, err := Locate(root)
		if err != nil || got != filepath.Join(root, "compliance/aims") {
			t.Errorf("Locate = %q, %v; want compliance/aims", got, err)
		}
	})
	t.Run("inside one", func(t *testing.T) {
		root := mk(t, "aims")
		if err := os.MkdirAll(filepath.Join(root, "aims", "risk"), 0o755); err != nil {
			t.Fatal(err)
		}
		got, err := Locate(filepath.Join(root, "aims", "risk"))
		if err != nil || got != filepath.Join(root, "aims") {
			t.Errorf("Locate = %q, %v; want aims", got, err)
		}
	})
	t.Run("two below", func(t *testing.T) {
		root := mk(t, "eu", "us")
		_, err := Locate(root)
		if !errors.Is(err, ErrNoRoot) || !strings.Contains(err.Error(), "holds 2 (eu, us); choose one with -C") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("none", func(t *testing.T) {
		root := mk(t, ".hidden", "a/b/c/d")
		if _, err := Locate(root); !errors.Is(err, ErrNoRoot) {
			t.Errorf("err = %v, want ErrNoRoot", err)
		}
	})
}
