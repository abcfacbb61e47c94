package server

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// serve starts a server for root in the background; it returns what Serve
// returned once it stops.
func serve(t *testing.T, root string, o Options) chan error {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("servers run on Linux only")
	}
	l, err := Listen(root)
	if err != nil {
		t.Fatal(err)
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	if o.Idle == 0 {
		o.Idle = time.Minute
	}
	done := make(chan error, 1)
	go func() { done <- l.Serve(o) }()
	t.Cleanup(func() {
		Ask(root, Request{Op: OpStop, Build: this(t)}, time.Second)
		<-done
	})
	return done
}

func this(t *testing.T) Build {
	t.Helper()
	b, err := ThisBuild()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func private(t *testing.T) {
	t.Helper()
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
}

func TestServerRunsWhatItIsAsked(t *testing.T) {
	private(t)
	var mu sync.Mutex
	var got []Request
	big := bytes.Repeat([]byte("finding\n"), 1<<20) // 8 MB: output is not escaped or cut
	serve(t, "/aims", Options{Run: func(r Request) (Response, error) {
		mu.Lock()
		got = append(got, r)
		mu.Unlock()
		return Response{Code: 1, Stdout: big, Stderr: []byte("aims: oops\n")}, nil
	}})
	req := Request{Op: OpRun, Build: this(t), Dir: "/work", Args: []string{"check", "a.yaml"}, Env: map[string]string{"TZ": "UTC"}}
	resp, err := Ask("/aims", req, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Code != 1 || !bytes.Equal(resp.Stdout, big) || string(resp.Stderr) != "aims: oops\n" || resp.Declined != "" {
		t.Fatalf("got code %d, %d bytes out, err %q, declined %q", resp.Code, len(resp.Stdout), resp.Stderr, resp.Declined)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got[0].Dir != "/work" || strings.Join(got[0].Args, " ") != "check a.yaml" || got[0].Env["TZ"] != "UTC" {
		t.Fatalf("the server ran %+v", got)
	}
}

func TestServerStatusAndStop(t *testing.T) {
	private(t)
	done := serve(t, "/aims", Options{Run: func(Request) (Response, error) { return Response{}, nil }, Status: func(s *Status) { s.Runs = 7 }})
	resp, err := Ask("/aims", Request{Op: OpStatus, Build: this(t)}, time.Second)
	if err != nil || resp.Status == nil || resp.Status.Root != "/aims" || resp.Status.PID != os.Getpid() || resp.Status.Runs != 7 {
		t.Fatalf("status: %+v, %v", resp.Status, err)
	}
	if _, err := Ask("/aims", Request{Op: OpStop, Build: this(t)}, time.Second); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	done <- nil // for the cleanup
	p, _ := For("/aims", this(t))
	if _, err := os.Stat(p.Socket); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the socket is left behind: %v", err)
	}
	if _, err := Ask("/aims", Request{Op: OpStatus, Build: this(t)}, time.Second); !errors.Is(err, ErrNoServer) {
		t.Errorf("a stopped server answered: %v", err)
	}
}

func TestServerOnePerAIMS(t *testing.T) {
	private(t)
	serve(t, "/aims", Options{Run: func(Request) (Response, error) { return Response{}, nil }})
	if _, err := Listen("/aims"); !errors.Is(err, ErrRunning) {
		t.Fatalf("a second server for the same AIMS: %v", err)
	}
	l, err := Listen("/other")
	if err != nil {
		t.Fatalf("another AIMS: %v", err)
	}
	l.Close()
}

func TestServerDeclinesAnotherBuild(t *testing.T) {
	private(t)
	ran := false
	serve(t, "/aims", Options{Run: func(Request) (Response, error) { ran = true; return Response{}, nil }})
	other := this(t)
	other.ModTime++
	p, _ := For("/aims", this(t))
	q, _ := For("/aims", other)
	if p == q {
		t.Fatal("two builds share a socket")
	}
	// Even at this build's socket, another build is declined.
	os.Rename(p.Socket, q.Socket)
	resp, err := Ask("/aims", Request{Op: OpRun, Build: other}, time.Second)
	os.Rename(q.Socket, p.Socket)
	if err != nil || resp.Declined == "" || ran {
		t.Fatalf("another build's request: %+v, %v, ran %v", resp, err, ran)
	}
}

// A run that fails to answer stops the server: its view is lost.
func TestServerStopsWhenARunFails(t *testing.T) {
	private(t)
	done := serve(t, "/aims", Options{Run: func(Request) (Response, error) { return Response{}, errors.New("events lost") }})
	resp, err := Ask("/aims", Request{Op: OpRun, Build: this(t)}, time.Second)
	if err != nil || !strings.Contains(resp.Declined, "events lost") {
		t.Fatalf("got %+v, %v", resp, err)
	}
	select {
	case <-done:
		done <- nil
	case <-time.After(5 * time.Second):
		t.Fatal("the server did not stop")
	}
}

func TestServerRestsAndStopsWhenIdle(t *testing.T) {
	private(t)
	rests := make(chan bool, 10)
	done := serve(t, "/aims", Options{Idle: 1500 * time.Millisecond, Run: func(Request) (Response, error) { return Response{}, nil }, Rest: func() { rests <- true }})
	if _, err := Ask("/aims", Request{Op: OpRun, Build: this(t)}, time.Second); err != nil {
		t.Fatal(err)
	}
	select {
	case <-rests:
	case <-time.After(5 * time.Second):
		t.Fatal("no rest after a run")
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
		done <- nil
	case <-time.After(10 * time.Second):
		t.Fatal("the server did not stop when idle")
	}
	if len(rests) != 0 {
		t.Errorf("%d more rests without runs", len(rests))
	}
}

// Sockets live in a folder no one else may use.
func TestServerFolderMustBePrivate(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("servers run on Linux only")
	}
	run := t.TempDir()
	t.Setenv("XDG_RUNTIME_DIR", run)
	if err := os.Mkdir(filepath.Join(run, "aims"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(filepath.Join(run, "aims"), 0o755)
	if _, err := Listen("/aims"); err == nil || !strings.Contains(err.Error(), "0700") {
		t.Fatalf("a folder others may enter: %v", err)
	}
	if _, err := For("/aims", this(t)); err == nil {
		t.Fatal("a client asked through a folder others may enter")
	}
}

// Until a server has run for the user, a client asks nothing.
func TestAnyOnceAServerRan(t *testing.T) {
	private(t)
	if runtime.GOOS != "linux" {
		t.Skip("servers run on Linux only")
	}
	if Any() {
		t.Fatal("no server ever ran, but Any says one may")
	}
	l, err := Listen("/aims")
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	if !Any() {
		t.Fatal("a server ran, but Any says none may")
	}
}
