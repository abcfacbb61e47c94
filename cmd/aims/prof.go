//go:build aimsprof

package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
)

// Built with -tags aimsprof, aims writes a CPU profile to $AIMS_CPUPROFILE,
// an execution trace (where the wall time goes, core by core) to $AIMS_TRACE
// and, at exit after a collection, a heap profile of what was still live
// to $AIMS_HEAPPROFILE: the profiles behind README "Performance", taken
// from the process exactly as a user runs it (a test binary has another
// build id, so its cache is always cold).
func init() {
	var stop []func()
	if p := os.Getenv("AIMS_CPUPROFILE"); p != "" {
		f, err := os.Create(p)
		if err == nil && pprof.StartCPUProfile(f) == nil {
			stop = append(stop, func() { pprof.StopCPUProfile(); f.Close() })
		}
	}
	if p := os.Getenv("AIMS_TRACE"); p != "" {
		f, err := os.Create(p)
		if err == nil && trace.Start(f) == nil {
			stop = append(stop, func() { trace.Stop(); f.Close() })
		}
	}
	if p := os.Getenv("AIMS_HEAPPROFILE"); p != "" {
		runtime.MemProfileRate = 4096
		written := false
		write := func() {
			f, err := os.Create(p)
			if err != nil {
				return
			}
			defer f.Close()
			pprof.Lookup("heap").WriteTo(f, 0)
			written = true
		}
		// Commands without a profPoint write what they allocated at exit.
		stop = append(stop, func() {
			if !written {
				runtime.GC()
				write()
			}
		})
		profPoint = func(keep ...any) {
			runtime.GC()
			runtime.GC()
			write()
			runtime.KeepAlive(keep)
		}
	}
	atExit = func() {
		for _, s := range stop {
			s()
		}
	}
}
