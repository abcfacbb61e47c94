package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"time"
)

// Request asks a server to run a command, or about itself.
type Request struct {
	Op    string            `json:"op"`    // OpRun, OpStatus or OpStop
	Build Build             `json:"build"` // the client's executable
	Dir   string            `json:"dir"`   // the client's working folder
	Args  []string          `json:"args"`  // the command line, without the program name
	Env   map[string]string `json:"env"`   // the environment variables that change what a run does
}

// Ops.
const (
	OpRun    = "run"
	OpStatus = "status"
	OpStop   = "stop"
)

// Response is a server's answer. A run's output is in Stdout and Stderr,
// its exit code in Code; Declined says why it was not run (the client
// runs it itself).
type Response struct {
	Declined string  `json:"declined,omitempty"`
	Code     int     `json:"code"`
	Status   *Status `json:"status,omitempty"`
	Stdout   []byte  `json:"-"`
	Stderr   []byte  `json:"-"`
}

// Status describes a running server.
type Status struct {
	Root    string    `json:"root"`
	PID     int       `json:"pid"`
	Started time.Time `json:"started"`
	Runs    int       `json:"runs"`    // runs answered
	Folders int       `json:"folders"` // folders watched
	Idle    string    `json:"idle"`    // how long it stays without a request
}

// Build identifies an executable on disk: a server answers only clients
// started from the very file it was started from, unchanged since.
type Build struct {
	Dev, Ino uint64
	Size     int64
	ModTime  int64 // Unix nanoseconds
}

// ThisBuild is the running executable's Build.
func ThisBuild() (Build, error) {
	exe, err := os.Executable()
	if err != nil {
		return Build{}, err
	}
	return buildOf(exe)
}

// Paths are where the server of one AIMS keeps its socket, lock and log.
type Paths struct {
	Socket, Lock, Log string
}

// For gives the paths of the server of root (the AIMS root, absolute) run
// by build: each build of aims runs its own, so two in use (the one
// pre-commit built and the one on the PATH) never stop each other's. Their
// folder must be the user's alone; it is not created.
func For(root string, build Build) (Paths, error) { return paths(root, build, false) }

// Prepare is For, creating the folder when it is missing.
func Prepare(root string, build Build) (Paths, error) { return paths(root, build, true) }

func paths(root string, build Build, create bool) (Paths, error) {
	dir, err := folder(create)
	if err != nil {
		return Paths{}, err
	}
	sum := sha256.Sum256(fmt.Appendf(nil, "%s\x00%d %d %d %d", root, build.Dev, build.Ino, build.Size, build.ModTime))
	base := filepath.Join(dir, hex.EncodeToString(sum[:12]))
	p := Paths{Socket: base + ".sock", Lock: base + ".lock", Log: base + ".log"}
	if len(p.Socket) > maxSocketPath {
		return Paths{}, fmt.Errorf("server socket path %s is longer than the system allows (%d bytes); set XDG_RUNTIME_DIR to a shorter folder", p.Socket, maxSocketPath)
	}
	return p, nil
}

// maxSocketPath is the longest socket path every Unix accepts (sun_path is
// 104 bytes on macOS and the BSDs, 108 on Linux, with its NUL).
const maxSocketPath = 103

// Any reports whether any server may be running for the user: whether
// the folder of the sockets is there (a check without one asks nothing).
func Any() bool {
	_, err := folder(false)
	return err == nil
}

// ErrRunning means another server already runs for the AIMS.
var ErrRunning = errors.New("an aims server is already running for this AIMS")

// ErrNoServer means no server answers for the AIMS.
var ErrNoServer = errors.New("no aims server is running for this AIMS")

// Ask sends req to root's server and returns its answer; ErrNoServer when
// there is none to ask. wait bounds the whole exchange.
func Ask(root string, req Request, wait time.Duration) (Response, error) {
	p, err := For(root, req.Build)
	if err != nil {
		return Response{}, err
	}
	conn, err := net.DialTimeout("unix", p.Socket, time.Second)
	if err != nil {
		return Response{}, fmt.Errorf("%w (%v)", ErrNoServer, err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(wait))
	if err := writeFrame(conn, req, nil, nil); err != nil {
		return Response{}, fmt.Errorf("the aims server did not answer: %w", err)
	}
	var resp Response
	parts, err := readFrame(conn, &resp, 2)
	if err != nil {
		return Response{}, fmt.Errorf("the aims server did not answer: %w", err)
	}
	resp.Stdout, resp.Stderr = parts[0], parts[1]
	return resp, nil
}

// Options say how a server answers.
type Options struct {
	// Idle is how long the server waits for a request before it exits.
	Idle time.Duration
	// Run answers a run request. An error means the server must stop once
	// it has sent the response (its view of the AIMS is lost).
	Run func(Request) (Response, error)
	// Status fills in what only the caller knows (runs, folders).
	Status func(*Status)
	// Rest is called once no request came for a moment after one or more
	// did: the time to flush caches and collect garbage. It runs beside
	// the requests that come meanwhile (one Rest at a time), so it must be
	// safe for use with Run.
	Rest func()
	// Log receives one line per request and why the server stops.
	Log io.Writer
}

// A frame is a JSON header followed by raw byte parts (a run's output
// need not be escaped), each preceded by its length.
const maxFrame = 1 << 30

func writeFrame(w io.Writer, header any, parts ...[]byte) error {
	h, err := json.Marshal(header)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	for _, p := range append([][]byte{h}, parts...) {
		b.Write(binary.BigEndian.AppendUint32(nil, uint32(len(p))))
		b.Write(p)
	}
	_, err = w.Write(b.Bytes())
	return err
}

func readFrame(r io.Reader, header any, nparts int) ([][]byte, error) {
	var parts [][]byte
	for i := range nparts + 1 {
		var n [4]byte
		if _, err := io.ReadFull(r, n[:]); err != nil {
			if i == 0 && err == io.EOF {
				return nil, errors.New("closed without an answer")
			}
			return nil, err
		}
		size := binary.BigEndian.Uint32(n[:])
		if size > maxFrame {
			return nil, fmt.Errorf("a message of %d bytes", size)
		}
		b := make([]byte, size)
		if _, err := io.ReadFull(r, b); err != nil {
			return nil, err
		}
		if i == 0 {
			if err := json.Unmarshal(b, header); err != nil {
				return nil, err
			}
			continue
		}
		parts = append(parts, b)
	}
	return parts, nil
}
