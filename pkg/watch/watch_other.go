//go:build !linux

package watch

import (
	"errors"
	"fmt"
)

// Watcher is not available on this system: New always fails.
type Watcher struct{}

// New fails with errors.ErrUnsupported: this system's file events are not
// read (yet); callers read the tree as usual.
func New(root string, skip func(name string) bool) (*Watcher, error) {
	return nil, fmt.Errorf("watch %s: %w", root, errors.ErrUnsupported)
}

func (w *Watcher) Watched(folder string) bool { return false }
func (w *Watcher) Folders() int               { return 0 }
func (w *Watcher) Close() error               { return nil }
func (w *Watcher) Changes() (Changes, error)  { return Changes{Reset: true}, errors.ErrUnsupported }
