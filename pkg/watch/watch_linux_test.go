package watch

import (
	"errors"
	"strings"
	"testing"
)

// On a network file system a change made by another machine sends no
// event here: such a root is refused.
func TestNewRefusesRemoteFileSystems(t *testing.T) {
	defer func(f func(string) (int64, error)) { fsType = f }(fsType)
	fsType = func(string) (int64, error) { return 0x6969, nil }
	if _, err := New(t.TempDir(), nil); !errors.Is(err, errors.ErrUnsupported) || !strings.Contains(err.Error(), "NFS") {
		t.Fatalf("a root on NFS: %v", err)
	}
	fsType = func(string) (int64, error) { return 0xef53, nil } // ext4
	w, err := New(t.TempDir(), nil)
	if err != nil {
		t.Fatalf("a root on ext4: %v", err)
	}
	w.Close()
}
