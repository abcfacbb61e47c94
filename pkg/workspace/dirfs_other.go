//go:build !linux

package workspace

import "io/fs"

// dirFDs is Linux only; elsewhere the os.Root lists folders.
type dirFDs struct{}

func (d *dirFS) fastReadDir(string) ([]fs.DirEntry, bool) { return nil, false }

func (d *dirFS) closeFDs() {}

func (d *dirFS) fastOpen(string) (fs.File, bool) { return nil, false }

// prefetcher: folders are listed ahead of the walk on Linux only.
type prefetcher struct{}

func (d *dirFS) startPrefetch(func(string) bool) (stop func()) { return func() {} }
