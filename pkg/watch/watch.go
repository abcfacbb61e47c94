package watch

import "path"

// Changes is what changed since the last call to Watcher.Changes.
type Changes struct {
	// Reset says anything may have changed: forget every listing and stat.
	Reset bool
	// Files are the entries created, written, removed, renamed or whose
	// attributes changed, as slash paths relative to the root ("a/b.yaml"),
	// in the order their events came, each once.
	Files []string
}

// Folder is the folder of an entry in Files ("." at the root).
func Folder(file string) string {
	if d := path.Dir(file); d != "" {
		return d
	}
	return "."
}
