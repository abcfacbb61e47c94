//go:build linux

package server

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// folder is where sockets live: $XDG_RUNTIME_DIR/aims, else aims/server in
// the user's cache folder. It must be a real folder of the user's that no
// one else may enter; create makes it so when it is missing.
func folder(create bool) (string, error) {
	var dir string
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" && filepath.IsAbs(d) {
		dir = filepath.Join(d, "aims")
	} else {
		c, err := os.UserCacheDir()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(c, "aims", "server")
	}
	if create {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return "", err
		}
	}
	st, err := os.Lstat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("%w (no %s)", ErrNoServer, dir)
		}
		return "", err
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !st.IsDir() || !ok || int(sys.Uid) != os.Getuid() || st.Mode().Perm()&0o077 != 0 {
		return "", fmt.Errorf("%s must be a folder of user %d that no one else may use (mode 0700); aims will not run a server there", dir, os.Getuid())
	}
	return dir, nil
}

func buildOf(exe string) (Build, error) {
	st, err := os.Stat(exe)
	if err != nil {
		return Build{}, err
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return Build{}, errors.ErrUnsupported
	}
	return Build{Dev: sys.Dev, Ino: sys.Ino, Size: st.Size(), ModTime: st.ModTime().UnixNano()}, nil
}

// Listener is a server's socket, held with its lock until Close.
type Listener struct {
	root    string
	paths   Paths
	lock    *os.File
	l       *net.UnixListener
	build   Build
	stopped atomic.Bool
}

// Stop makes Serve return once the request it answers, if any, is
// answered (on a signal, say).
func (s *Listener) Stop() {
	s.stopped.Store(true)
	s.l.SetDeadline(time.Now())
}

// Listen takes root's lock and listens on its socket. Clients that connect
// before Serve wait for it (while the server loads the AIMS, say).
func Listen(root string) (*Listener, error) {
	build, err := ThisBuild()
	if err != nil {
		return nil, err
	}
	p, err := paths(root, build, true)
	if err != nil {
		return nil, err
	}
	lock, err := os.OpenFile(p.Lock, os.O_CREATE|os.O_RDWR|syscall.O_CLOEXEC, 0o600)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(lock.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		lock.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, ErrRunning
		}
		return nil, fmt.Errorf("lock %s: %w", p.Lock, err)
	}
	// Under the lock: a socket left by a server that died is stale.
	os.Remove(p.Socket)
	old := unix.Umask(0o177)
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: p.Socket, Net: "unix"})
	unix.Umask(old)
	if err != nil {
		lock.Close()
		return nil, err
	}
	return &Listener{root: root, paths: p, lock: lock, l: l, build: build}, nil
}

// Paths are the listener's.
func (s *Listener) Paths() Paths { return s.paths }

// Close stops listening, removes the socket and releases the lock.
func (s *Listener) Close() error {
	err := s.l.Close() // removes the socket
	s.lock.Close()
	return err
}

// restAfter is how long without a request counts as a moment's rest.
const restAfter = 500 * time.Millisecond

// Serve answers requests one at a time until a stop request, Idle without
// one, or a failure; then it closes s.
func (s *Listener) Serve(o Options) error {
	defer s.Close()
	// A rest (a collection, a cache write) runs beside the requests: one
	// that comes meanwhile is answered, not kept waiting for it.
	var resting sync.WaitGroup
	var busy atomic.Bool
	defer resting.Wait()
	started := time.Now()
	rested := true
	for {
		wait := o.Idle
		if !rested {
			wait = restAfter
		}
		s.l.SetDeadline(time.Now().Add(wait))
		if s.stopped.Load() {
			fmt.Fprintln(o.Log, "stopping")
			return nil
		}
		conn, err := s.l.AcceptUnix()
		if s.stopped.Load() && conn == nil {
			fmt.Fprintln(o.Log, "stopping")
			return nil
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			if !rested {
				if o.Rest != nil && busy.CompareAndSwap(false, true) {
					resting.Go(func() {
						defer busy.Store(false)
						o.Rest()
					})
				}
				rested = true
				continue
			}
			fmt.Fprintf(o.Log, "no request for %s: stopping\n", o.Idle)
			return nil
		}
		if err != nil {
			return err
		}
		rested = false
		stop, err := s.answer(conn, o, started)
		conn.Close()
		if stop {
			return err
		}
	}
}

// answer reads one request from conn and answers it; stop says the server
// must stop.
func (s *Listener) answer(conn *net.UnixConn, o Options, started time.Time) (stop bool, err error) {
	uid, err := peerUID(conn)
	if err != nil || uid != os.Getuid() {
		fmt.Fprintf(o.Log, "refused a connection from user %d (%v)\n", uid, err)
		return false, nil
	}
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	var req Request
	if _, err := readFrame(conn, &req, 0); err != nil {
		fmt.Fprintf(o.Log, "unreadable request: %v\n", err)
		return false, nil
	}
	conn.SetDeadline(time.Time{})
	var resp Response
	switch req.Op {
	case OpStatus:
		st := Status{Root: s.root, PID: os.Getpid(), Started: started, Idle: o.Idle.String()}
		if o.Status != nil {
			o.Status(&st)
		}
		resp.Status = &st
	case OpStop:
		fmt.Fprintln(o.Log, "asked to stop")
		stop = true
	case OpRun:
		if req.Build != s.build {
			resp.Declined = "the server runs another build of aims"
			break
		}
		t := time.Now()
		resp, err = o.Run(req)
		if err != nil {
			resp = Response{Declined: err.Error()}
			fmt.Fprintf(o.Log, "stopping: %v\n", err)
			stop = true
		} else {
			fmt.Fprintf(o.Log, "%s %q in %s: exit %d%s\n", t.Format(time.TimeOnly), req.Args, time.Since(t).Round(time.Millisecond), resp.Code, declined(resp))
		}
	default:
		resp.Declined = fmt.Sprintf("unknown request %q", req.Op)
	}
	if werr := writeFrame(conn, resp, resp.Stdout, resp.Stderr); werr != nil {
		fmt.Fprintf(o.Log, "answer not sent: %v\n", werr)
	}
	return stop, err
}

func declined(r Response) string {
	if r.Declined == "" {
		return ""
	}
	return " (declined: " + r.Declined + ")"
}

func peerUID(conn *net.UnixConn) (int, error) {
	raw, err := conn.SyscallConn()
	if err != nil {
		return -1, err
	}
	var cred *unix.Ucred
	var cerr error
	if err := raw.Control(func(fd uintptr) {
		cred, cerr = unix.GetsockoptUcred(int(fd), unix.SOL_SOCKET, unix.SO_PEERCRED)
	}); err != nil {
		return -1, err
	}
	if cerr != nil {
		return -1, cerr
	}
	return int(cred.Uid), nil
}
