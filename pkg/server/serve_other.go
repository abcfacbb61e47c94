//go:build !linux

package server

import (
	"errors"
)

func folder(create bool) (string, error) { return "", errors.ErrUnsupported }

func buildOf(exe string) (Build, error) { return Build{}, errors.ErrUnsupported }

// Listener is not available on this system.
type Listener struct{}

// Listen fails: a server needs file events, read on Linux only.
func Listen(root string) (*Listener, error) { return nil, errors.ErrUnsupported }

func (s *Listener) Paths() Paths { return Paths{} }
func (s *Listener) Close() error { return nil }
func (s *Listener) Stop()        {}

func (s *Listener) Serve(o Options) error { return errors.ErrUnsupported }
