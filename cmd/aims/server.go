package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/aims-dev/aims/pkg/cache"
	"github.com/aims-dev/aims/pkg/server"
	"github.com/aims-dev/aims/pkg/workspace"
)

// An aims server keeps one AIMS in memory and runs `aims check` for the
// user's other aims processes (package server, workspace.Resident): a
// check started anywhere asks the server of its AIMS first, when one
// runs, and runs itself when none does or the server declines.
//
// AIMS_SERVER says what a check does about servers: "off" never asks one;
// unset or "on" asks one that runs; "auto" also starts one in the
// background, for the next checks, after a check that ran without one and
// took autoAfter or more.
const envServer = "AIMS_SERVER"

// serverEnv are the environment variables a check reads: a server runs it
// with the client's values, and declines when its time zone differs (the
// date rules' "today").
var serverEnv = []string{envRunMiB, envRunValues, "GITHUB_STEP_SUMMARY", "TZ"}

// defaultIdle is how long a server waits for a check before it stops.
const defaultIdle = 30 * time.Minute

// askWait bounds a client's wait for its server's answer (a server still
// loading a large AIMS answers once it has); startWait, start's wait for a
// new server to load the AIMS.
const (
	askWait   = time.Minute
	startWait = 5 * time.Minute
)

// declinedError says the server cannot run a command as the client would;
// the client runs it itself.
type declinedError struct{ why string }

func (e declinedError) Error() string { return e.why }

func declined(why string) error { return declinedError{why} }

// residentOpen opens the AIMS the server keeps. Whatever it cannot answer
// as a plain run would, the client runs itself; lost file events also stop
// the server.
func (g *GlobalOptions) residentOpen(start string, changed []string, opts ...workspace.Option) (*workspace.Workspace, error) {
	if g.Rev != "" {
		return nil, declined("--rev reads git, not the working tree the server keeps")
	}
	ws, err := g.resident.Open(start, changed, opts...)
	switch {
	case errors.Is(err, workspace.ErrEventsLost):
		return nil, err
	case err != nil:
		return nil, declined(err.Error())
	}
	return ws, nil
}

// served are the commands a server runs: the ones pre-commit runs.
var served = map[string]bool{"check": true, "validate": true}

// servedCommand reads a command line as cobra would and says whether it is
// a command a server may run, and for which AIMS root; cwd is where it was
// started ("" for this process's working folder).
func servedCommand(cwd string, args []string) (root string, ok bool) {
	g := &GlobalOptions{cwd: cwd}
	top := newCmdRoot(Streams{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard}, g)
	c, rest, err := top.Find(args)
	if err != nil || !served[c.Name()] || c.Parent() != top {
		return "", false
	}
	c.InitDefaultHelpFlag() // as Execute does, so -h is read as help
	if err := c.ParseFlags(rest); err != nil || g.Rev != "" || g.NoCache {
		return "", false
	}
	if h, err := c.Flags().GetBool("help"); err != nil || h {
		return "", false
	}
	dir, err := g.workDir()
	if err != nil {
		return "", false
	}
	// The AIMS the command will open (openWorkspaceFor, openWorkspace):
	// the one enclosing the work folder, else the one enclosing the first
	// file inside one, else, given no file, the only one below.
	if root, err := workspace.FindRoot(dir); err == nil {
		return root, true
	}
	files := c.Flags().Args()
	for _, f := range files {
		if !filepath.IsAbs(f) {
			f = filepath.Join(dir, f)
		}
		if root, err := workspace.FindRoot(filepath.Dir(filepath.Clean(f))); err == nil {
			return root, true
		}
	}
	if len(files) == 0 {
		if root, err := workspace.Locate(dir); err == nil {
			return root, true
		}
	}
	return "", false
}

// runOnServer has the server of the AIMS run a check; false when it did
// not (none runs, it declined, or the command is not one it runs).
func runOnServer(args []string, s Streams) (int, bool) {
	mode := os.Getenv(envServer)
	if mode == "off" || runtime.GOOS != "linux" || os.Getenv("GITHUB_STEP_SUMMARY") != "" {
		return 0, false
	}
	if mode != "auto" && !server.Any() {
		return 0, false // no server ever ran here (CI): nothing to find out
	}
	root, ok := servedCommand("", args)
	if !ok {
		return 0, false
	}
	build, err := server.ThisBuild()
	if err != nil {
		return 0, false
	}
	cwd, err := os.Getwd()
	if err != nil {
		return 0, false
	}
	env := map[string]string{}
	for _, name := range serverEnv {
		env[name] = os.Getenv(name)
	}
	resp, err := server.Ask(root, server.Request{Op: server.OpRun, Build: build, Dir: cwd, Args: args, Env: env}, askWait)
	switch {
	case errors.Is(err, server.ErrNoServer):
		if mode == "auto" {
			autoStart = func() { startServer(root, build, defaultIdle, false) }
		}
		return 0, false
	case err != nil:
		// A server that fails to answer is a fault of its own: said once,
		// and the check runs as if there were none.
		fmt.Fprintf(s.ErrOut, "aims: %v; checking without it\n", err)
		return 0, false
	}
	if resp.Declined != "" {
		return 0, false
	}
	s.Out.Write(resp.Stdout)
	s.ErrOut.Write(resp.Stderr)
	return resp.Code, true
}

// autoStart, set by runOnServer with AIMS_SERVER=auto when no server runs,
// starts one for the next checks; run calls it when the check it ran
// itself took autoAfter or more (a small AIMS needs none).
var autoStart func()

const autoAfter = 200 * time.Millisecond

// maxLog is the size past which a server's log starts again.
const maxLog = 1 << 20

// startServer starts root's server in the background, detached from this
// process, logging to its log file; it does not wait for it.
func startServer(root string, build server.Build, idle time.Duration, noCache bool) (*exec.Cmd, server.Paths, error) {
	p, err := server.Prepare(root, build)
	if err != nil {
		return nil, p, err
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, p, err
	}
	flags := os.O_CREATE | os.O_WRONLY | os.O_APPEND
	if st, err := os.Stat(p.Log); err == nil && st.Size() > maxLog {
		flags |= os.O_TRUNC // a line per check: started again past maxLog
	}
	log, err := os.OpenFile(p.Log, flags, 0o600)
	if err != nil {
		return nil, p, err
	}
	defer log.Close()
	args := []string{"server", "run", "--idle", idle.String(), "-C", root}
	if noCache {
		args = append(args, "--no-cache")
	}
	cmd := exec.Command(exe, args...)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = detached()
	if err := cmd.Start(); err != nil {
		return nil, p, err
	}
	return cmd, p, nil
}

// ServerOptions are the server commands' flags.
type ServerOptions struct {
	*GlobalOptions
	Streams
	Idle time.Duration
}

// NewCmdServer builds `aims server` and its subcommands.
func NewCmdServer(g *GlobalOptions, s Streams) *cobra.Command {
	opts := &ServerOptions{GlobalOptions: g, Streams: s}
	cmd := &cobra.Command{
		Use:   "server",
		Short: "Keep the AIMS in memory so every check after an edit answers at once",
		Long: `A server keeps one AIMS loaded between checks, told by the file system
what changed (Linux), and runs every aims check and aims validate of that
AIMS for its user: a check after an edit then costs what changed, not the
whole AIMS (a pre-commit run of 10,000 documents answers in a fraction of a
plain run's time, with the same output and exit code).

aims check and aims validate ask the server of their AIMS when one runs,
and run themselves when none does, when the server declines (--rev,
--no-cache, another time zone) or when AIMS_SERVER=off. With
AIMS_SERVER=auto, a check that took more than 0.2 s without a server starts
one for the next checks. Each build of aims runs its own server. A server
stops after --idle without a check, when its AIMS folder moves or goes, on
aims server stop, SIGINT or SIGTERM. With --no-cache it keeps nothing on
disk, only in memory. Its socket and log are in $XDG_RUNTIME_DIR/aims, else
in aims/server in the user cache folder.`,
	}
	idle := func(c *cobra.Command) {
		c.Flags().DurationVar(&opts.Idle, "idle", defaultIdle, "stop after this long without a check")
	}
	start := &cobra.Command{
		Use:   "start",
		Short: "Start the AIMS's server in the background and wait until it has loaded the AIMS",
		Args:  cobra.NoArgs,
		RunE:  func(*cobra.Command, []string) error { return runServerStart(opts) },
	}
	run := &cobra.Command{
		Use:   "run",
		Short: "Run the AIMS's server in the foreground, logging to standard error",
		Args:  cobra.NoArgs,
		RunE:  func(*cobra.Command, []string) error { return runServerRun(opts) },
	}
	idle(start)
	idle(run)
	cmd.AddCommand(start, run,
		&cobra.Command{
			Use:   "stop",
			Short: "Stop the AIMS's server",
			Args:  cobra.NoArgs,
			RunE:  func(*cobra.Command, []string) error { return runServerStop(opts) },
		},
		&cobra.Command{
			Use:   "status",
			Short: "Say whether the AIMS's server runs, since when and how many checks it ran",
			Args:  cobra.NoArgs,
			RunE:  func(*cobra.Command, []string) error { return runServerStatus(opts) },
		})
	return cmd
}

// serverRoot is the AIMS the server commands are about: the one check
// would open from the work folder.
func (o *ServerOptions) serverRoot() (string, server.Build, error) {
	if runtime.GOOS != "linux" {
		return "", server.Build{}, fmt.Errorf("aims server needs file events, read on Linux only")
	}
	dir, err := o.workDir()
	if err != nil {
		return "", server.Build{}, err
	}
	root, err := workspace.Locate(dir)
	if err != nil {
		return "", server.Build{}, err
	}
	build, err := server.ThisBuild()
	return root, build, err
}

func status(root string, build server.Build) (*server.Status, error) {
	resp, err := server.Ask(root, server.Request{Op: server.OpStatus, Build: build}, 10*time.Second)
	if err != nil {
		return nil, err
	}
	if resp.Status == nil {
		return nil, errors.New("aims server: no status in its answer")
	}
	return resp.Status, nil
}

func (o *ServerOptions) say(format string, args ...any) {
	if !o.Quiet {
		fmt.Fprintf(o.Out, format+"\n", args...)
	}
}

// running is the AIMS's root, this build, and the status of the build's
// server for it: nil, once said, when none runs.
func (o *ServerOptions) running() (string, server.Build, *server.Status, error) {
	root, build, err := o.serverRoot()
	if err != nil {
		return "", build, nil, err
	}
	st, err := status(root, build)
	if errors.Is(err, server.ErrNoServer) {
		o.say("no aims server is running for %s", o.displayPrefix(root))
		return root, build, nil, nil
	}
	return root, build, st, err
}

func runServerStatus(o *ServerOptions) error {
	_, _, st, err := o.running()
	if err != nil || st == nil {
		return err
	}
	o.say("aims server for %s: pid %d, up since %s, %d check%s run, %d folders watched, stops after %s idle",
		o.displayPrefix(st.Root), st.PID, st.Started.Format(time.DateTime), st.Runs, plural(st.Runs), st.Folders, st.Idle)
	return nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func runServerStop(o *ServerOptions) error {
	root, build, st, err := o.running()
	if err != nil || st == nil {
		return err
	}
	if _, err := server.Ask(root, server.Request{Op: server.OpStop, Build: build}, 10*time.Second); err != nil {
		return err
	}
	// Gone once its socket is: it answers no one after a stop.
	for range 200 {
		if _, err := status(root, build); errors.Is(err, server.ErrNoServer) {
			o.say("stopped the aims server for %s (pid %d)", o.displayPrefix(root), st.PID)
			return nil
		}
		time.Sleep(10 * time.Millisecond)
	}
	return fmt.Errorf("the aims server for %s (pid %d) did not stop", o.displayPrefix(root), st.PID)
}

func runServerStart(o *ServerOptions) error {
	root, build, err := o.serverRoot()
	if err != nil {
		return err
	}
	if st, err := status(root, build); err == nil {
		o.say("an aims server is already running for %s (pid %d)", o.displayPrefix(root), st.PID)
		return nil
	}
	cmd, p, err := startServer(root, build, o.Idle, o.NoCache)
	if err != nil {
		return fmt.Errorf("start aims server: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	// The server answers once it has loaded the AIMS: one status request,
	// asked again only while its socket is not there yet.
	answered := make(chan *server.Status, 1)
	go func() {
		for {
			resp, err := server.Ask(root, server.Request{Op: server.OpStatus, Build: build}, startWait)
			if err == nil && resp.Status != nil {
				answered <- resp.Status
				return
			}
			if !errors.Is(err, server.ErrNoServer) {
				return // timed out: said below
			}
			time.Sleep(25 * time.Millisecond)
		}
	}()
	select {
	case st := <-answered:
		o.say("started an aims server for %s (pid %d, %d folders watched); it stops after %s without a check", o.displayPrefix(root), st.PID, st.Folders, st.Idle)
		return nil
	case err := <-exited:
		log, _ := os.ReadFile(p.Log)
		if i := bytes.LastIndex(log, []byte(" aims server ")); i >= 0 {
			log = log[max(bytes.LastIndexByte(log[:i], '\n'), 0):] // this start's lines
		}
		return fmt.Errorf("the aims server stopped (%v): %s", err, bytes.TrimSpace(log))
	case <-time.After(startWait):
		return fmt.Errorf("the aims server did not answer within %s; its log: %s", startWait, p.Log)
	}
}

// runServerRun is the server itself.
func runServerRun(o *ServerOptions) error {
	root, _, err := o.serverRoot()
	if err != nil {
		return err
	}
	lim, err := limitsFromEnv(o.getenv)
	if err != nil {
		return err
	}
	l, err := server.Listen(root)
	if err != nil {
		return err
	}
	defer l.Close()
	var store *cache.Store
	if !o.NoCache {
		store = cache.Open(cache.Dir())
	}
	res, err := workspace.NewResident(root, store)
	if err != nil {
		return err
	}
	defer res.Close()
	log := o.ErrOut
	fmt.Fprintf(log, "%s aims server %s for %s (pid %d)\n", time.Now().Format(time.DateTime), toolVersion(), root, os.Getpid())
	// A long-lived process: the short-lived run's collector policy (gc.go)
	// is off, and its memory limit with it (the first load of a large AIMS
	// holds more than that limit: 14 s instead of 2 s at 49,000 documents).
	// The first load is collected as the runtime does by default; after
	// it, the heap is collected while the server rests between checks.
	gc.stop()
	debug.SetMemoryLimit(math.MaxInt64)
	debug.SetGCPercent(100)
	t := time.Now()
	ws, err := res.Open(root, nil, workspace.WithLimits(lim), workspace.Lean())
	if err != nil {
		return err
	}
	docs := len(ws.Set.Docs)
	ws.Close()
	// A first check, unseen, reads what only the analysis reads (evidence
	// files, git history, approvals), so the first one asked is as quick
	// as the next.
	var warm bytes.Buffer
	if code := exitCode(execute(&GlobalOptions{cwd: root, resident: res}, []string{"check", "--fail-on", "never"}, Streams{In: strings.NewReader(""), Out: io.Discard, ErrOut: &warm}), Streams{ErrOut: &warm}); code != exitOK {
		return fmt.Errorf("first check: %s", bytes.TrimSpace(warm.Bytes()))
	}
	rest := func() {
		res.Flush()
		collect()
	}
	rest()
	fmt.Fprintf(log, "loaded %d documents, %d folders watched, in %s\n", docs, res.Folders(), time.Since(t).Round(time.Millisecond))
	served := 0
	tz := os.Getenv("TZ")
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		sig := <-signals
		fmt.Fprintf(log, "%s: ", sig)
		l.Stop()
	}()
	return l.Serve(server.Options{
		Idle: o.Idle,
		Log:  log,
		Rest: rest,
		Status: func(st *server.Status) {
			st.Runs, st.Folders = served, res.Folders()
		},
		Run: func(req server.Request) (server.Response, error) {
			if req.Env["TZ"] != tz {
				return server.Response{Declined: "the client's time zone (TZ) is not the server's"}, nil
			}
			if r, ok := servedCommand(req.Dir, req.Args); !ok || r != root {
				return server.Response{Declined: "not a check or validate of this AIMS"}, nil
			}
			var out, errOut bytes.Buffer
			g := &GlobalOptions{cwd: req.Dir, environ: req.Env, resident: res}
			s := Streams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
			err := execute(g, req.Args, s)
			var d declinedError
			switch {
			case errors.Is(err, workspace.ErrEventsLost):
				return server.Response{}, err
			case errors.As(err, &d):
				return server.Response{Declined: d.why}, nil
			}
			code := exitCode(err, s)
			served++
			return server.Response{Code: code, Stdout: out.Bytes(), Stderr: errOut.Bytes()}, nil
		},
	})
}

// collect collects the heap while the server rests, and sets the memory
// limit at which a burst of checks without rest collects anyway: twice
// what is live, and 256 MB more. Between, nothing is collected: a check
// answers sooner without a collection on the way.
func collect() {
	runtime.GC()
	metrics.Read(liveHeap)
	live := int64(liveHeap[0].Value.Uint64())
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(min(2*live+256<<20, math.MaxInt64))
}
