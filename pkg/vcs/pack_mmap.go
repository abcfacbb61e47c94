//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package vcs

import (
	"os"
	"syscall"
)

// mapFile maps f read-only into memory, or returns nil when it cannot (an
// empty file, a size beyond the address space); the caller then reads
// through a buffer. git maps its packs the same way, and git never changes
// a pack in place: it writes a new one and renames it.
func mapFile(f *os.File) []byte {
	fi, err := f.Stat()
	if err != nil || fi.Size() <= 0 || int64(int(fi.Size())) != fi.Size() {
		return nil
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(fi.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil
	}
	return data
}

func unmap(data []byte) error { return syscall.Munmap(data) }
