package main

import (
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/aims-dev/aims/pkg/synth"
)

// BenchmarkProcess runs the aims binary as pre-commit and CI do, one
// process per run, from a cold process: `check` and `report` (outside git)
// on the shipped example and on generated AIMSs of about 10,000 and 50,000 documents (-short: the
// example only). Beside wall time it reports the process's CPU time and its
// peak resident memory, in total and per document.
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
		for _, command := range [][]string{
			{"check", "--as-of", "2026-12-01"},
			{"report", "--as-of", "2026-12-01", "-o", filepath.Join(b.TempDir(), "report.html")},
		} {
			b.Run(command[0]+"/"+s.name, func(b *testing.B) {
				var cpu time.Duration
				var rss int64
				for b.Loop() {
					cmd := exec.Command(bin, append([]string{"-C", dir}, command...)...)
					if out, err := cmd.CombinedOutput(); err != nil {
						b.Fatalf("aims %s: %v\n%s", command[0], err, out)
					}
					ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
					cpu += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
					rss = max(rss, ru.Maxrss) // KiB on Linux
				}
				b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
				b.ReportMetric(float64(rss)/1024, "peak-MB")
				b.ReportMetric(float64(rss)*1024/float64(docs)/1000, "peak-KB/doc")
			})
		}
	}
}
