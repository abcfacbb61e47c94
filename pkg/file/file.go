package file

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Write writes data to name through a temporary file and a rename, so an
// interrupted run never leaves a half-written file behind.
//
// Only a regular file or nothing is replaced: a device, pipe, folder or
// symbolic link at name is refused, because renaming over it would swap a
// special file for a plain one. An existing file keeps its permissions; a new
// one gets 0666 less the umask, like any file the user creates.
func Write(name string, data []byte) error {
	return WriteFrom(name, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteFrom is Write for content produced piece by piece: write gets a
// buffered writer onto the temporary file, and an error from it leaves
// name as it was. A large report streams to disk this way instead of
// being held, grown and copied in memory first.
func WriteFrom(name string, write func(io.Writer) error) error {
	perm := fs.FileMode(0o666) // the kernel applies the umask
	keep := false
	switch st, err := os.Lstat(name); {
	case err == nil && !st.Mode().IsRegular():
		return fmt.Errorf("%s is not a regular file (%s); refusing to replace it", name, kind(st.Mode()))
	case err == nil:
		perm, keep = st.Mode().Perm(), true
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	tmp, err := create(filepath.Dir(name), "."+filepath.Base(name), perm)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(tmp, 256<<10)
	werr := write(bw)
	if werr == nil {
		werr = bw.Flush()
	}
	if werr == nil && keep {
		// The umask may have narrowed perm at creation; an existing file's
		// mode is the user's choice, so restore it exactly.
		werr = tmp.Chmod(perm)
	}
	if werr == nil {
		werr = tmp.Sync()
	}
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), name)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return werr
	}
	return nil
}

// create makes a new temporary file next to the target. os.CreateTemp
// would force mode 0600.
func create(dir, prefix string, perm fs.FileMode) (*os.File, error) {
	for range 10 {
		var b [6]byte
		_, _ = rand.Read(b[:])
		f, err := os.OpenFile(filepath.Join(dir, prefix+"."+hex.EncodeToString(b[:])+".tmp"),
			os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, fmt.Errorf("cannot create a temporary file in %s", dir)
}

func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "not a plain file"
}
