//go:build linux

package cache

import (
	"encoding/binary"
	"io/fs"
	"syscall"
	"time"
)

// identifier is a FileInfo that gives what identity reads of its Sys
// without making a syscall.Stat_t (the workspace's listing keeps less).
type identifier interface {
	Identity() (dev, ino uint64, ctime time.Time)
}

func identity(info fs.FileInfo) ([]byte, time.Time, bool) {
	if !info.Mode().IsRegular() {
		return nil, time.Time{}, false
	}
	var dev, ino uint64
	var ctime time.Time
	if id, ok := info.(identifier); ok {
		dev, ino, ctime = id.Identity()
	} else if st, ok := info.Sys().(*syscall.Stat_t); ok {
		dev, ino, ctime = uint64(st.Dev), uint64(st.Ino), time.Unix(int64(st.Ctim.Sec), int64(st.Ctim.Nsec))
	} else {
		return nil, time.Time{}, false
	}
	mtime := info.ModTime()
	b := make([]byte, 0, 6*8)
	for _, v := range []uint64{dev, ino, uint64(info.Size()), uint64(info.Mode()),
		uint64(mtime.UnixNano()), uint64(ctime.UnixNano())} {
		b = binary.LittleEndian.AppendUint64(b, v)
	}
	return b, later(mtime, ctime), true
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
