//go:build !linux

package server

import (
	"errors"
	"io"
	"time"
)

func folder(create bool) (string, error) { return "", errors.ErrUnsupported }

func buildOf(exe string) (Build, error) { return Build{}, errors.ErrUnsupported }

// ErrRunning means another server already runs for the AIMS.
var ErrRunning = errors.New("an aims server is already running for this AIMS")

// Listener is not available on this system.
type Listener struct{}

// Listen fails: a server needs file events, read on Linux only.
func Listen(root string) (*Listener, error) { return nil, errors.ErrUnsupported }

func (s *Listener) Paths() Paths { return Paths{} }
func (s *Listener) Close() error { return nil }
func (s *Listener) Stop()        {}

// Options say how a server answers.
type Options struct {
	Idle   time.Duration
	Run    func(Request) (Response, error)
	Status func(*Status)
	Rest   func()
	Log    io.Writer
}

func (s *Listener) Serve(o Options) error { return errors.ErrUnsupported }
