//go:build linux

package workspace

import (
	"encoding/binary"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// dirFDs lists folders for the walk through descriptors: each folder is
// opened once, relative to its parent's descriptor, with O_NOFOLLOW (a
// link is never followed: its listing falls back to the os.Root, which
// answers as it always did), and each entry is stat'ed relative to it.
// Listing a folder through an os.Root opened it twice more (a root at it,
// then "." to read) and made an os.File of it: the walk of 4,400 folders
// was a sixth of a warm pre-commit run at 10,000 documents.
type dirFDs struct {
	mu  sync.Mutex // the walk lists one folder at a time; nothing else uses fds
	fds map[string]int
	// listed holds the folders whose descriptor has been read to its end:
	// only those are rewound before they are listed again (one lseek
	// saved per folder of a walk).
	listed map[string]bool
	buf    []byte
}

// fastReadDir lists folder name like os.Root's ReadDir (sorted, each entry
// with its Lstat); false when it cannot, and the caller asks the root.
func (d *dirFS) fastReadDir(name string) ([]fs.DirEntry, bool) {
	p := d.pre.Load()
	if p != nil {
		if ents, ok := p.take(name); ok {
			d.prefetched.Add(1)
			return ents, true
		}
	}
	ents, ok := d.listFD(name)
	if ok && p != nil {
		p.walked(name, ents)
	}
	return ents, ok
}

// listFD lists folder name through the walk's descriptors.
func (d *dirFS) listFD(name string) ([]fs.DirEntry, bool) {
	d.fd.mu.Lock()
	defer d.fd.mu.Unlock()
	if !d.fd.ready(d) {
		return nil, false
	}
	fd, ok := d.fd.folder(name)
	if !ok {
		return nil, false
	}
	if d.fd.listed[name] {
		if _, err := unix.Seek(fd, 0, 0); err != nil {
			return nil, false
		}
	}
	d.fd.listed[name] = true // from here on: a failed read leaves the offset anywhere
	if d.fd.buf == nil {
		d.fd.buf = make([]byte, 32<<10)
	}
	return d.entries(fd, name, d.fd.buf)
}

// entries lists the folder open at fd, whose path is name, reading its
// entries through buf: sorted by name, each file with its Lstat
// (fstatat), each folder with its Lstat made when asked.
func (d *dirFS) entries(fd int, name string, buf []byte) ([]fs.DirEntry, bool) {
	var ents []fs.DirEntry
	for {
		n, err := unix.Getdents(fd, buf)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, false
		}
		if n <= 0 {
			break
		}
		for b := buf[:n]; len(b) > 0; {
			// struct linux_dirent64: ino, off (8 bytes each), reclen (2),
			// type (1), name (NUL-terminated).
			if len(b) < 19 {
				return nil, false
			}
			reclen := int(binary.NativeEndian.Uint16(b[16:18]))
			if reclen < 19 || reclen > len(b) {
				return nil, false
			}
			typ := b[18]
			raw := b[19:reclen]
			if i := slices.Index(raw, 0); i >= 0 {
				raw = raw[:i]
			}
			b = b[reclen:]
			if string(raw) == "." || string(raw) == ".." {
				continue
			}
			entry := string(raw)
			if typ == unix.DT_DIR {
				// A folder's Lstat is asked only of the odd one (the walk
				// needs its type alone): made when asked, a quarter of the
				// walk's fstatat calls saved.
				ents = append(ents, &listedDir{d: d, name: entry, path: path.Join(name, entry)})
				continue
			}
			var st unix.Stat_t
			err := unix.Fstatat(fd, entry, &st, unix.AT_SYMLINK_NOFOLLOW)
			if err == unix.ENOENT {
				continue // removed since it was listed, as os does
			}
			if err != nil {
				return nil, false
			}
			ents = append(ents, fs.FileInfoToDirEntry(newStatInfo(entry, &st)))
		}
	}
	slices.SortFunc(ents, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return ents, true
}

// ready opens the top folder's descriptor on first use, and closes the
// others once maxDirs are open. Called with x.mu held: descriptors are
// closed only here, under the lock, before any is used, so a descriptor
// number is never reused while a caller holding the lock uses it.
func (x *dirFDs) ready(d *dirFS) bool {
	if x.fds == nil {
		root, ok := d.rootFD()
		if !ok {
			return false
		}
		x.fds = map[string]int{".": root}
		x.listed = map[string]bool{}
	}
	if len(x.fds) >= maxDirs {
		for dir, fd := range x.fds {
			if dir != "." {
				unix.Close(fd)
				delete(x.fds, dir)
				delete(x.listed, dir)
			}
		}
	}
	return true
}

// fastOpen opens the regular file name relative to its folder's
// descriptor, never through a link (O_NOFOLLOW on the file, and its
// folders opened as the walk opens them): one openat, where an os.Root
// opened each folder on the way and an *os.File made four fcntl calls and
// a failed poller registration, 150,000 system calls for the documents
// and evidence files of 10,000 documents. Anything else (a link, a
// folder, a device, any error) is left to the os.Root (false), which
// answers as it always did.
func (d *dirFS) fastOpen(name string) (fs.File, bool) {
	if name == "." || !fs.ValidPath(name) {
		return nil, false
	}
	folder, base := splitName(name)
	// Descriptors of their own, not the walk's: a worker opening a file
	// must not wait while the walk lists a folder.
	fd, err := -1, error(nil)
	d.ofd.mu.Lock()
	if d.ofd.ready(d) {
		if dir, ok := d.ofd.folder(folder); ok {
			for {
				// O_NONBLOCK: a FIFO put where a file was must not hang
				// the run; it is not a regular file and is closed below.
				fd, err = unix.Openat(dir, base, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
				if err != unix.EINTR {
					break
				}
			}
		}
	}
	d.ofd.mu.Unlock()
	if fd < 0 || err != nil {
		return nil, false
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil || st.Mode&unix.S_IFMT != unix.S_IFREG {
		unix.Close(fd)
		return nil, false
	}
	return &fdFile{fd: fd, name: name, info: newStatInfo(base, &st)}, true
}

// fdFile is a regular file opened by fastOpen.
type fdFile struct {
	fd   int
	name string
	info *statInfo
}

func (f *fdFile) Stat() (fs.FileInfo, error) { return f.info, nil }

func (f *fdFile) Read(p []byte) (int, error) {
	if f.fd < 0 {
		return 0, &fs.PathError{Op: "read", Path: f.name, Err: fs.ErrClosed}
	}
	if len(p) == 0 {
		return 0, nil
	}
	for {
		n, err := unix.Read(f.fd, p)
		switch {
		case err == unix.EINTR:
			continue
		case err != nil:
			return 0, &fs.PathError{Op: "read", Path: f.name, Err: err}
		case n == 0:
			return 0, io.EOF
		}
		return n, nil
	}
}

func (f *fdFile) Close() error {
	if f.fd < 0 {
		return &fs.PathError{Op: "close", Path: f.name, Err: fs.ErrClosed}
	}
	err := unix.Close(f.fd)
	f.fd = -1
	if err != nil {
		return &fs.PathError{Op: "close", Path: f.name, Err: err}
	}
	return nil
}

// rootFD is a descriptor of the top root's folder, duplicated from one
// the root opened (not opened again by name, which could now be another
// folder).
func (d *dirFS) rootFD() (int, bool) {
	f, err := d.top.Open(".")
	if err != nil {
		return -1, false
	}
	defer f.Close()
	rc, err := f.SyscallConn()
	if err != nil {
		return -1, false
	}
	fd := -1
	if err := rc.Control(func(s uintptr) { fd, err = unix.FcntlInt(s, unix.F_DUPFD_CLOEXEC, 0) }); err != nil || fd < 0 {
		return -1, false
	}
	return fd, true
}

// folder opens folder name relative to its parent's descriptor, never
// through a link.
func (x *dirFDs) folder(name string) (int, bool) {
	if fd, ok := x.fds[name]; ok {
		return fd, true
	}
	parent, ok := x.folder(path.Dir(name))
	if !ok {
		return -1, false
	}
	for {
		fd, err := unix.Openat(parent, path.Base(name), unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return -1, false
		}
		x.fds[name] = fd
		return fd, true
	}
}

func (d *dirFS) closeFDs() {
	d.fd.close()
	d.ofd.close()
}

func (x *dirFDs) close() {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, fd := range x.fds {
		unix.Close(fd)
	}
	x.fds = nil
}

// listedDir is a folder as getdents listed it (a real folder, never a
// link): its Lstat is the top root's, made when first asked.
type listedDir struct {
	d          *dirFS
	name, path string
}

func (e *listedDir) Name() string      { return e.name }
func (e *listedDir) IsDir() bool       { return true }
func (e *listedDir) Type() fs.FileMode { return fs.ModeDir }
func (e *listedDir) Info() (fs.FileInfo, error) {
	return e.d.top.Lstat(e.path)
}

// statInfo is an fs.FileInfo from fstatat, as os.Lstat makes it: the same
// mode bits, and from Sys a *syscall.Stat_t of the fields it keeps. The
// walk keeps one per file listed, so it keeps only what a FileInfo and
// cache.Identity read (a whole Stat_t was twice the size, 2.5 MB of a
// 10,000-document run).
type statInfo struct {
	name         string
	mode         uint32
	dev, ino     uint64
	size         int64
	mtime, ctime syscall.Timespec
}

func newStatInfo(name string, st *unix.Stat_t) *statInfo {
	return &statInfo{name: name, mode: st.Mode, dev: st.Dev, ino: st.Ino, size: st.Size,
		mtime: syscall.Timespec{Sec: st.Mtim.Sec, Nsec: st.Mtim.Nsec},
		ctime: syscall.Timespec{Sec: st.Ctim.Sec, Nsec: st.Ctim.Nsec}}
}

func (s *statInfo) Name() string       { return s.name }
func (s *statInfo) Size() int64        { return s.size }
func (s *statInfo) ModTime() time.Time { return time.Unix(s.mtime.Unix()) }
func (s *statInfo) IsDir() bool        { return s.Mode().IsDir() }

// Sys is a Stat_t of the fields kept (device, inode, mode, size, times).
func (s *statInfo) Sys() any {
	return &syscall.Stat_t{Dev: s.dev, Ino: s.ino, Mode: s.mode, Size: s.size, Mtim: s.mtime, Ctim: s.ctime}
}

// Identity is what cache.Identity reads of Sys, without making one.
func (s *statInfo) Identity() (dev, ino uint64, ctime time.Time) {
	return s.dev, s.ino, time.Unix(s.ctime.Unix())
}

// Mode converts as os does (os/stat_linux.go).
func (s *statInfo) Mode() fs.FileMode {
	m := fs.FileMode(s.mode & 0o777)
	switch s.mode & syscall.S_IFMT {
	case syscall.S_IFBLK:
		m |= fs.ModeDevice
	case syscall.S_IFCHR:
		m |= fs.ModeDevice | fs.ModeCharDevice
	case syscall.S_IFDIR:
		m |= fs.ModeDir
	case syscall.S_IFIFO:
		m |= fs.ModeNamedPipe
	case syscall.S_IFLNK:
		m |= fs.ModeSymlink
	case syscall.S_IFSOCK:
		m |= fs.ModeSocket
	}
	if s.mode&syscall.S_ISGID != 0 {
		m |= fs.ModeSetgid
	}
	if s.mode&syscall.S_ISUID != 0 {
		m |= fs.ModeSetuid
	}
	if s.mode&syscall.S_ISVTX != 0 {
		m |= fs.ModeSticky
	}
	return m
}
