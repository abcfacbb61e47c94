package vcs

import (
	"bytes"
	"errors"
	"io"

	"github.com/go-git/go-billy/v5"
)

// graphFS hands go-git the commit-graph files read into memory. go-git
// reads a graph with one ReadAt per step of each binary search and per
// field of each commit, every one a system call on a file: 10 % of a
// provenance walk. A graph is small (about 60 bytes a commit).
type graphFS struct{ billy.Filesystem }

func (g graphFS) Open(name string) (billy.File, error) {
	f, err := g.Filesystem.Open(name)
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(f)
	_ = f.Close()
	if err != nil {
		return nil, err
	}
	return &memFile{name: name, Reader: bytes.NewReader(data)}, nil
}

// memFile is a read-only billy.File over bytes.
type memFile struct {
	name string
	*bytes.Reader
}

var errReadOnly = errors.New("read-only file")

func (f *memFile) Name() string              { return f.name }
func (f *memFile) Write([]byte) (int, error) { return 0, errReadOnly }
func (f *memFile) Close() error              { return nil }
func (f *memFile) Lock() error               { return nil }
func (f *memFile) Unlock() error             { return nil }
func (f *memFile) Truncate(int64) error      { return errReadOnly }
