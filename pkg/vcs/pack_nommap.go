//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package vcs

import "os"

// mapFile does not map files on this system: packs are read through a
// buffer.
func mapFile(*os.File) []byte { return nil }

func unmap([]byte) error { return nil }
