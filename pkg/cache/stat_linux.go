//go:build linux

package cache

import (
	"encoding/binary"
	"io/fs"
	"syscall"
	"time"
)

func identity(info fs.FileInfo) ([]byte, time.Time, bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok || !info.Mode().IsRegular() {
		return nil, time.Time{}, false
	}
	mtime := info.ModTime()
	ctime := time.Unix(int64(st.Ctim.Sec), int64(st.Ctim.Nsec))
	b := make([]byte, 0, 6*8)
	for _, v := range []uint64{uint64(st.Dev), uint64(st.Ino), uint64(info.Size()), uint64(info.Mode()),
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
