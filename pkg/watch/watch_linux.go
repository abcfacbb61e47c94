//go:build linux

package watch

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Watcher watches every folder under a root but those skip names, each
// with an inotify watch added before the folder is listed: a change made
// after a folder was listed always has its event.
type Watcher struct {
	root string
	skip func(name string) bool

	mu      sync.Mutex
	fd      int
	folders map[int32]string // watch descriptor -> folder ("." at the root)
	watched map[string]bool
	reset   bool // set when the watches were renewed since the last Changes
	buf     []byte
}

// fsType is the type of the file system holding path (statfs f_type).
var fsType = func(path string) (int64, error) {
	var st unix.Statfs_t
	err := unix.Statfs(path, &st)
	return int64(st.Type), err
}

// remote are the file systems (statfs f_type) whose changes may be made
// by another machine, or through a layer that sends no inotify events.
var remote = map[int64]string{
	0x6969:     "NFS",
	0x517b:     "SMB",
	0xff534d42: "CIFS",
	0xfe534d42: "SMB2",
	0x65735546: "FUSE (sshfs, a mounted share)",
	0x01021997: "9P (a virtual machine's shared folder)",
	0x00c36400: "Ceph",
	0x47504653: "GPFS",
	0x0bd00bd0: "Lustre",
}

// mask: every change to a folder's entries or to a file in it; a link is
// never followed, and only folders are watched.
const mask = unix.IN_CREATE | unix.IN_DELETE | unix.IN_MODIFY | unix.IN_ATTRIB |
	unix.IN_MOVED_FROM | unix.IN_MOVED_TO | unix.IN_DELETE_SELF | unix.IN_MOVE_SELF |
	unix.IN_DONT_FOLLOW | unix.IN_ONLYDIR | unix.IN_EXCL_UNLINK

// New watches root (an absolute path) and every folder below it except those
// whose name skip accepts, and the folders below those.
func New(root string, skip func(name string) bool) (*Watcher, error) {
	typ, err := fsType(root)
	if err != nil {
		return nil, fmt.Errorf("watch %s: %w", root, err)
	}
	if name, ok := remote[typ]; ok {
		return nil, fmt.Errorf("watch %s: it is on %s, where changes made elsewhere send no file events: %w", root, name, errors.ErrUnsupported)
	}
	w := &Watcher{root: root, skip: skip, fd: -1, buf: make([]byte, 64<<10)}
	if err := w.renew(); err != nil {
		return nil, err
	}
	w.reset = false
	return w, nil
}

// Watched reports whether folder (a slash path relative to the root, "."
// for the root) is watched: a change in it is reported.
func (w *Watcher) Watched(folder string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.watched[folder]
}

// Folders is how many folders are watched.
func (w *Watcher) Folders() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.watched)
}

// Close stops watching.
func (w *Watcher) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.fd < 0 {
		return nil
	}
	err := unix.Close(w.fd)
	w.fd = -1
	return err
}

// renew drops every watch and watches the tree again from the root. Called
// with w.mu held (or before w is shared).
func (w *Watcher) renew() error {
	if w.fd >= 0 {
		unix.Close(w.fd)
		w.fd = -1
	}
	fd, err := unix.InotifyInit1(unix.IN_NONBLOCK | unix.IN_CLOEXEC)
	if err != nil {
		if errors.Is(err, unix.ENOSYS) {
			return fmt.Errorf("watch %s: %w", w.root, errors.ErrUnsupported)
		}
		return fmt.Errorf("watch %s: %w", w.root, err)
	}
	w.fd, w.folders, w.watched, w.reset = fd, map[int32]string{}, map[string]bool{}, true
	if err := w.add("."); err != nil {
		unix.Close(fd)
		w.fd = -1
		return err
	}
	return nil
}

// add watches folder and, depth first, the folders below it.
func (w *Watcher) add(folder string) error {
	abs := filepath.Join(w.root, filepath.FromSlash(folder))
	wd, err := unix.InotifyAddWatch(w.fd, abs, mask)
	switch {
	case errors.Is(err, unix.ENOSPC):
		return fmt.Errorf("watch %s: more folders than the system lets one user watch (fs.inotify.max_user_watches; %d watched so far)", w.root, len(w.watched))
	case err != nil && folder != "." && (errors.Is(err, unix.ENOENT) || errors.Is(err, unix.ENOTDIR) || errors.Is(err, unix.EACCES)):
		// Gone, replaced by a file or a link, or unreadable since its
		// parent was listed: the parent's watch reports it.
		return nil
	case err != nil:
		return fmt.Errorf("watch %s: %w", abs, err)
	}
	w.folders[int32(wd)] = folder
	w.watched[folder] = true
	ents, err := os.ReadDir(abs)
	if err != nil {
		return nil // unreadable: the walk reports it; a change to it is an event of its parent
	}
	for _, e := range ents {
		if !e.IsDir() || w.skip != nil && w.skip(e.Name()) {
			continue
		}
		if err := w.add(path.Join(folder, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// Changes reads every event queued without waiting and says what they
// changed. Events are queued as each change is made, so a change made
// before Changes is called is in its answer. After a Reset the watches
// are renewed before Changes returns; an error means they could not be,
// and the Watcher must not be trusted again.
func (w *Watcher) Changes() (Changes, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.fd < 0 {
		return Changes{}, errors.New("watch: closed")
	}
	var c Changes
	seen := map[string]bool{}
	c.Reset = w.reset
	w.reset = false
	for !c.Reset {
		n, err := unix.Read(w.fd, w.buf)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if errors.Is(err, unix.EAGAIN) {
			break
		}
		if err != nil {
			return Changes{}, fmt.Errorf("watch %s: %w", w.root, err)
		}
		if n <= 0 {
			break
		}
		for b := w.buf[:n]; len(b) >= unix.SizeofInotifyEvent && !c.Reset; {
			ev := (*unix.InotifyEvent)(unsafe.Pointer(&b[0]))
			size := unix.SizeofInotifyEvent + int(ev.Len)
			if size > len(b) {
				c.Reset = true // a torn event: the kernel never writes one
				break
			}
			name := b[unix.SizeofInotifyEvent:size]
			for i, ch := range name {
				if ch == 0 {
					name = name[:i]
					break
				}
			}
			b = b[size:]
			if w.resets(ev.Mask, string(name)) {
				c.Reset = true
				break
			}
			folder, ok := w.folders[ev.Wd]
			if !ok || len(name) == 0 {
				continue // a watch already dropped, or an event of the folder itself
			}
			p := path.Join(folder, string(name))
			if !seen[p] {
				seen[p] = true
				c.Files = append(c.Files, p)
			}
		}
	}
	if c.Reset {
		c.Files = nil
		if err := w.renew(); err != nil {
			return Changes{}, err
		}
		w.reset = false
	}
	return c, nil
}

// resets reports whether an event changes which folders there are: a
// folder created, moved or removed (other than one the walk skips), a
// watched folder gone or moved, or events lost.
func (w *Watcher) resets(m uint32, name string) bool {
	switch {
	case m&(unix.IN_Q_OVERFLOW|unix.IN_UNMOUNT|unix.IN_IGNORED|unix.IN_DELETE_SELF|unix.IN_MOVE_SELF) != 0:
		return true
	case m&unix.IN_ISDIR != 0:
		// A skipped folder appearing or going changes only its parent's
		// listing, which the event reports as a file.
		return w.skip == nil || !w.skip(name)
	}
	return false
}
