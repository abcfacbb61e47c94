package vcs

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/go-git/go-git/v5/plumbing"
)

// object returns the content of h, which must be of type want: from the
// pack files when one holds it, otherwise through go-git (loose objects,
// alternates). The bytes may be shared with caches and must not be
// modified. Callers must hold r.mu.
func (r *Repo) object(h plumbing.Hash, want plumbing.ObjectType) ([]byte, error) {
	typ, data, found, err := r.packs.read(h)
	if !found && err == nil {
		typ, data, err = r.looseObject(h)
	}
	if err != nil {
		return nil, err
	}
	if typ != want {
		return nil, fmt.Errorf("object is a %s, not a %s", typ, want)
	}
	return data, nil
}

// looseObject reads h through go-git.
func (r *Repo) looseObject(h plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	obj, err := r.st.EncodedObject(plumbing.AnyObject, h)
	if err != nil {
		return 0, nil, err
	}
	rd, err := obj.Reader()
	if err != nil {
		return 0, nil, err
	}
	data := make([]byte, obj.Size())
	_, err = io.ReadFull(rd, data)
	_ = rd.Close()
	if err != nil {
		return 0, nil, err
	}
	return obj.Type(), data, nil
}

// rawObject hands bytes we read to go-git's decoders, with the hash we
// looked them up by: go-git's own objects would hash their content again.
type rawObject struct {
	hash plumbing.Hash
	typ  plumbing.ObjectType
	data []byte
}

var _ plumbing.EncodedObject = (*rawObject)(nil)

func (o *rawObject) Hash() plumbing.Hash           { return o.hash }
func (o *rawObject) Type() plumbing.ObjectType     { return o.typ }
func (o *rawObject) SetType(t plumbing.ObjectType) { o.typ = t }
func (o *rawObject) Size() int64                   { return int64(len(o.data)) }
func (o *rawObject) SetSize(int64)                 {}
func (o *rawObject) Reader() (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(o.data)), nil
}
func (o *rawObject) Writer() (io.WriteCloser, error) {
	return nil, errors.New("read-only object")
}
