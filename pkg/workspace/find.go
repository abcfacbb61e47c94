package workspace

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/aims-dev/aims/pkg/load"
)

// maxFindDepth bounds how deep FindBelow looks: an AIMS kept in a folder of
// a repository (aims/, docs/aims/, compliance/iso42001/) is near the top.
const maxFindDepth = 3

// Locate is the AIMS root for a command started in dir: the nearest folder at
// or above dir holding aims.yaml, else the only one at most three folders
// below dir (hidden folders, node_modules and vendor skipped), so a hook or CI
// job started at a repository's root finds the AIMS kept in a subfolder.
// Several below is an error naming them: pick one with -C.
func Locate(dir string) (string, error) {
	root, err := FindRoot(dir)
	if err == nil || !errors.Is(err, ErrNoRoot) {
		return root, err
	}
	found, ferr := FindBelow(dir)
	switch {
	case ferr != nil:
		return "", ferr
	case len(found) == 1:
		return found[0], nil
	case len(found) > 1:
		rel := make([]string, len(found))
		for i, f := range found {
			rel[i], _ = filepath.Rel(dir, f)
		}
		return "", fmt.Errorf("%w: %s is not in an AIMS and holds %d (%s); choose one with -C", ErrNoRoot, dir, len(found), strings.Join(rel, ", "))
	}
	return "", err
}

// FindBelow lists the folders below dir (at most three deep) that hold
// aims.yaml, in walk order. An AIMS inside another AIMS is not listed.
func FindBelow(dir string) ([]string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	var found []string
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil // unreadable folders are not where the AIMS is
		}
		if p == dir {
			return nil
		}
		name := d.Name()
		if strings.HasPrefix(name, ".") || name == "node_modules" || name == "vendor" {
			return fs.SkipDir
		}
		rel, _ := filepath.Rel(dir, p)
		if strings.Count(filepath.ToSlash(rel), "/") >= maxFindDepth {
			return fs.SkipDir
		}
		if st, err := os.Stat(filepath.Join(p, load.ManifestFile)); err == nil && st.Mode().IsRegular() {
			found = append(found, p)
			return fs.SkipDir
		}
		return nil
	})
	return found, err
}

// findBelowIn is FindBelow inside a revision's tree: the folders (slash
// paths) below start holding aims.yaml.
func findBelowIn(fsys fs.FS, start string) []string {
	start = cmp.Or(start, ".")
	var found []string
	_ = fs.WalkDir(fsys, start, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() || p == start {
			return nil
		}
		name := d.Name()
		if strings.HasPrefix(name, ".") || name == "node_modules" || name == "vendor" {
			return fs.SkipDir
		}
		rel := strings.TrimPrefix(p, start+"/")
		if start == "." {
			rel = p
		}
		if strings.Count(rel, "/") >= maxFindDepth {
			return fs.SkipDir
		}
		if st, err := fs.Stat(fsys, path.Join(p, load.ManifestFile)); err == nil && st.Mode().IsRegular() {
			found = append(found, p)
			return fs.SkipDir
		}
		return nil
	})
	return found
}
