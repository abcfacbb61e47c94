package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aims-dev/aims/pkg/cache"
	"github.com/aims-dev/aims/pkg/synth"
)

// BenchmarkProcess runs the aims binary as pre-commit and CI do, one
// process per run, from a cold process: `check` and `report` (outside git)
// on the shipped example and on generated AIMSs of about 10,000 and 50,000 documents (-short: the
// example only), without the cache, and `check FILE` as pre-commit runs it
// after a one-file edit, with the cache of the run before (precommit) and
// answered by an aims server started before (precommit-server; the server
// rests a second between runs, as between commits). Beside wall time it
// reports the process's CPU time and its peak resident memory, in total
// and per document, and for a server, its own CPU time per check.
func BenchmarkProcess(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "aims")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	// Every AIMS is written to a temporary folder outside any git
	// repository: the example as shipped (aimsgen -systems 0) and two
	// generated ones.
	sizes := []struct {
		name    string
		systems int
	}{{"example", 0}, {"docs=10k", 550}, {"docs=50k", 2750}}
	for _, s := range sizes {
		if s.systems > 0 && testing.Short() {
			continue
		}
		files, err := synth.Generate(s.systems)
		if err != nil {
			b.Fatal(err)
		}
		dir, docs := filepath.Join(b.TempDir(), "aims"), files.Documents()
		if err := synth.Write(dir, files); err != nil {
			b.Fatal(err)
		}
		written := time.Now()
		// The pre-commit run: one file changed since the last run, passed
		// as pre-commit passes it, with the cache of that last run.
		changed := filepath.Join(dir, "policies", "ai-policy.md")
		original, err := os.ReadFile(changed)
		if err != nil {
			b.Fatal(err)
		}
		cacheDir := b.TempDir()
		for _, command := range [][]string{
			{"check", "--no-cache", "--as-of", "2026-12-01"},
			{"report", "--no-cache", "--as-of", "2026-12-01", "-o", filepath.Join(b.TempDir(), "report.html")},
			{"precommit", "--as-of", "2026-12-01", changed},
			{"precommit-server", "--as-of", "2026-12-01", changed},
		} {
			b.Run(command[0]+"/"+s.name, func(b *testing.B) {
				var cpu, serverCPU time.Duration
				var rss int64
				served := command[0] == "precommit-server"
				runDir := filepath.Join(b.TempDir(), "run") // the server's socket: private, short
				if err := os.Mkdir(runDir, 0o700); err != nil {
					b.Fatal(err)
				}
				aims := func(args ...string) *exec.Cmd {
					cmd := exec.Command(bin, append([]string{"-C", dir}, args...)...)
					cmd.Env = append(os.Environ(), cache.EnvDir+"="+cacheDir, envServer+"=off")
					if served {
						cmd.Env = append(cmd.Env, envServer+"=on", "XDG_RUNTIME_DIR="+runDir)
					}
					if s.systems > 1000 {
						// 50,000 documents are more than the default per-run
						// limits allow; an operator raises them like this.
						cmd.Env = append(cmd.Env, envRunMiB+"=512", envRunValues+"=40000000")
					}
					return cmd
				}
				run := func(args ...string) *exec.Cmd {
					cmd := aims(args...)
					if out, err := cmd.CombinedOutput(); err != nil {
						b.Fatalf("aims %s: %v\n%s", command[0], err, out)
					}
					return cmd
				}
				args := command
				var pid int
				if served {
					if runtime.GOOS != "linux" {
						b.Skip("aims server runs on Linux")
					}
					out, err := aims("server", "start", "--idle", "5m").CombinedOutput() // gone soon if the benchmark fails
					if err != nil {
						b.Fatalf("server start: %v\n%s", err, out)
					}
					if _, err := fmt.Sscanf(string(out[bytes.Index(out, []byte("(pid "))+1:]), "pid %d", &pid); err != nil {
						b.Fatalf("server start: %s", out)
					}
					defer run("server", "stop")
				}
				if command[0] == "precommit" || served {
					args = append([]string{"check"}, command[1:]...)
					// A commit comes long after the AIMS was written: a file
					// changed within cache.RacyWindow of a run is read
					// again, however it looks, which is every file when
					// this benchmark runs alone right after writing them.
					time.Sleep(cache.RacyWindow - time.Since(written) + 100*time.Millisecond)
					run(args...) // the run before the edit
				}
				i := 0
				for b.Loop() {
					if command[0] == "precommit" || served {
						b.StopTimer()
						i++
						edited := append(slices.Clone(original), fmt.Sprintf("\nEdit %d.\n", i)...)
						if err := os.WriteFile(changed, edited, 0o644); err != nil {
							b.Fatal(err)
						}
						if served {
							time.Sleep(time.Second) // the server rests between commits
						}
						b.StartTimer()
					}
					before := processCPU(b, pid)
					cmd := run(args...)
					serverCPU += processCPU(b, pid) - before
					ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
					cpu += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
					rss = max(rss, ru.Maxrss) // KiB on Linux
				}
				b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
				if served {
					// The client's peak is its parent's (Linux counts the
					// memory of the forked process before exec): what
					// matters is what the server holds.
					b.ReportMetric(float64(serverCPU.Microseconds())/1000/float64(b.N), "server-cpu-ms/op")
					b.ReportMetric(float64(processRSS(b, pid))/(1<<20), "server-MB")
					return
				}
				b.ReportMetric(float64(rss)/1024, "peak-MB")
				b.ReportMetric(float64(rss)*1024/float64(docs)/1000, "peak-KB/doc")
			})
		}
		if err := os.WriteFile(changed, original, 0o644); err != nil {
			b.Fatal(err)
		}
	}
}

// processRSS is the resident memory of process pid, in bytes, from /proc.
func processRSS(b *testing.B, pid int) int64 {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return int64(kb) << 10
		}
	}
	return 0
}

// processCPU is the CPU time process pid has used (user and system), from
// /proc; 0 for pid 0.
func processCPU(b *testing.B, pid int) time.Duration {
	if pid == 0 {
		return 0
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Fatal(err)
	}
	// Fields after the command name (which may hold spaces): utime and
	// stime are the 12th and 13th, in clock ticks (100 a second).
	f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+2:]))
	utime, _ := strconv.Atoi(f[11])
	stime, _ := strconv.Atoi(f[12])
	return time.Duration(utime+stime) * 10 * time.Millisecond
}
