package workspace

import (
	"bytes"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/cache"
	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/gap"
	"github.com/aims-dev/aims/pkg/link"
	"github.com/aims-dev/aims/pkg/load"
	"github.com/aims-dev/aims/pkg/schema"
	"github.com/aims-dev/aims/pkg/synth"
)

// benchSizes are the generated AIMSs the benchmarks run on, by the number
// of systems aimsgen adds to the example: about 140, 1,000, 10,000 and
// 50,000 documents. The largest needs about 1.5 GB; -short skips it.
var benchSizes = []int{0, 48, 550, 2750}

var benchDirs sync.Map // systems -> *benchDir

type benchDir struct {
	once sync.Once
	dir  string
	docs int
	err  error
}

// benchAIMS writes the generated AIMS to disk once per process: the
// benchmarks read real files, as a run does.
func benchAIMS(b *testing.B, systems int) (string, int) {
	v, _ := benchDirs.LoadOrStore(systems, &benchDir{})
	d := v.(*benchDir)
	d.once.Do(func() {
		files, err := synth.Generate(systems)
		if err != nil {
			d.err = err
			return
		}
		d.dir, d.err = os.MkdirTemp("", "aims-bench-")
		if d.err == nil {
			d.err = synth.Write(d.dir, files)
		}
		d.docs = files.Documents()
	})
	if d.err != nil {
		b.Fatal(d.err)
	}
	return d.dir, d.docs
}

// TestMain removes the generated AIMSs.
func TestMain(m *testing.M) {
	code := m.Run()
	benchDirs.Range(func(_, v any) bool {
		if d := v.(*benchDir); d.dir != "" {
			_ = os.RemoveAll(d.dir)
		}
		return true
	})
	os.Exit(code)
}

func eachSize(b *testing.B, f func(b *testing.B, fsys fs.FS, docs int)) {
	for _, n := range benchSizes {
		if n > 1000 && testing.Short() {
			continue
		}
		dir, docs := benchAIMS(b, n)
		b.Run(fmt.Sprintf("docs=%d", docs), func(b *testing.B) { f(b, os.DirFS(dir), docs) })
	}
}

// loop runs body b.N times and reports, beside wall time, the process's CPU
// time per run (user+system, all threads): on a shared machine wall time
// includes waiting for a core, CPU time does not.
func loop(b *testing.B, docs int, body func()) {
	cpu0 := cpuTime()
	for b.Loop() {
		body()
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(docs), "µs/doc")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

var asOf = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// BenchmarkFloor reads and parses the same files with yaml.v3 into nodes,
// with as many workers as the loader uses, and does nothing else: the
// least any YAML tool must spend. Compare each stage with it.
func BenchmarkFloor(b *testing.B) {
	eachSize(b, func(b *testing.B, fsys fs.FS, docs int) {
		loop(b, docs, func() {
			var files []string
			err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() || strings.HasPrefix(p, "evidence/") {
					return err
				}
				if e := path.Ext(p); e == ".yaml" || e == ".md" {
					files = append(files, p)
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			parallel(len(files), func(i int) {
				data, err := fs.ReadFile(fsys, files[i])
				if err != nil {
					b.Error(err)
					return
				}
				if path.Ext(files[i]) == ".md" {
					return // the front matter is a few lines; reading is the cost
				}
				dec := yaml.NewDecoder(bytes.NewReader(data))
				for {
					var n yaml.Node
					if dec.Decode(&n) != nil {
						break
					}
				}
			})
		})
	})
}

func parallel(n int, f func(int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// BenchmarkCheck is `aims check` in-process: load, schema, decode, link,
// gap analysis, from reading files to findings, with documents cut down
// to what is read after their own checks (Lean), as check runs. The
// collector is the test binary's (GOGC 100), not aims's (cmd/aims, gc.go).
func BenchmarkCheck(b *testing.B) {
	eachSize(b, func(b *testing.B, fsys fs.FS, docs int) {
		loop(b, docs, func() {
			w, err := Open(fsys, Lean())
			if err != nil {
				b.Fatal(err)
			}
			res := gap.Analyze(w.Model, w.Catalog, w.Diags, gap.Options{Now: asOf, Tiers: w.Tiers})
			if l := append(w.Diags, res.Findings...); len(l) > 0 || len(w.Set.Docs) != docs {
				b.Fatalf("generated AIMS of %d documents: %d loaded, %d findings: %v", docs, len(w.Set.Docs), len(l), l[:min(len(l), 3)])
			}
		})
	})
}

// BenchmarkCheckCached is BenchmarkCheck with a warm cache and nothing
// changed: every file's parse and every document's schema diagnostics come
// from the cache (a pre-commit run after a one-file edit parses one more).
func BenchmarkCheckCached(b *testing.B) {
	eachSize(b, func(b *testing.B, fsys fs.FS, docs int) {
		dir := b.TempDir()
		open := func() *Workspace {
			store := cache.Open(dir)
			w, err := Open(fsys, WithCache(store), Lean())
			if err != nil {
				b.Fatal(err)
			}
			return w
		}
		open() // warm
		loop(b, docs, func() {
			w := open()
			if w.Set.Cached == 0 {
				b.Fatal("nothing from the cache")
			}
			res := gap.Analyze(w.Model, w.Catalog, w.Diags, gap.Options{Now: asOf, Tiers: w.Tiers})
			if l := append(w.Diags, res.Findings...); len(l) > 0 || len(w.Set.Docs) != docs {
				b.Fatalf("generated AIMS of %d documents: %d loaded, %d findings: %v", docs, len(w.Set.Docs), len(l), l[:min(len(l), 3)])
			}
		})
	})
}

// The stages one by one, each on the output of the stages before it.

func BenchmarkStageLoad(b *testing.B) {
	eachSize(b, func(b *testing.B, fsys fs.FS, docs int) {
		loop(b, docs, func() {
			if _, err := load.Load(fsys, load.Options{}); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// BenchmarkStageSchema includes compiling the schemas, as every run does.
func BenchmarkStageSchema(b *testing.B) {
	eachSize(b, func(b *testing.B, fsys fs.FS, docs int) {
		set, err := load.Load(fsys, load.Options{})
		if err != nil {
			b.Fatal(err)
		}
		loop(b, docs, func() {
			v, err := schema.New()
			if err != nil {
				b.Fatal(err)
			}
			parallelDocs(set.Docs, func(d *load.Document) {
				if l, err := v.Validate(d); err != nil || len(l) > 0 {
					b.Error(err, l)
				}
			})
		})
	})
}

func parallelDocs(docs []*load.Document, f func(*load.Document)) {
	parallel(len(docs), func(i int) { f(docs[i]) })
}

func BenchmarkStageDecode(b *testing.B) {
	eachSize(b, func(b *testing.B, fsys fs.FS, docs int) {
		set, err := load.Load(fsys, load.Options{})
		if err != nil {
			b.Fatal(err)
		}
		loop(b, docs, func() {
			parallelDocs(set.Docs, func(d *load.Document) {
				if _, err := aims.DecodeDocument(d); err != nil {
					b.Error(err)
				}
			})
		})
	})
}

func BenchmarkStageLink(b *testing.B) {
	eachSize(b, func(b *testing.B, fsys fs.FS, docs int) {
		w, err := Open(fsys)
		if err != nil {
			b.Fatal(err)
		}
		loop(b, docs, func() {
			if l := link.Check(w.Set.Docs, fsys, w.Catalog, slices.Sorted(maps.Keys(w.Tiers))); l.Max() >= diag.Error {
				b.Fatal(l[0])
			}
		})
	})
}

func BenchmarkStageGap(b *testing.B) {
	eachSize(b, func(b *testing.B, fsys fs.FS, docs int) {
		w, err := Open(fsys)
		if err != nil {
			b.Fatal(err)
		}
		loop(b, docs, func() {
			gap.Analyze(w.Model, w.Catalog, w.Diags, gap.Options{Now: asOf, Tiers: w.Tiers})
		})
	})
}

// BenchmarkResident is a pre-commit run answered by a Resident (aims
// server): one file edited before each run, the run told of it, then the
// gap analysis, evidence files digested (from memory) as check does.
func BenchmarkResident(b *testing.B) {
	for _, n := range benchSizes {
		if n > 1000 && testing.Short() {
			continue
		}
		dir, docs := benchAIMS(b, n)
		b.Run(fmt.Sprintf("docs=%d", docs), func(b *testing.B) {
			if runtime.GOOS != "linux" {
				b.Skip("a Resident needs file events (Linux)")
			}
			r, err := NewResident(dir, cache.Open(b.TempDir()))
			if err != nil {
				b.Fatal(err)
			}
			defer r.Close()
			edited := path.Join(dir, "policies", "ai-policy.md")
			orig, err := os.ReadFile(edited)
			if err != nil {
				b.Fatal(err)
			}
			defer os.WriteFile(edited, orig, 0o644)
			i := 0
			run := func() {
				i++
				if err := os.WriteFile(edited, fmt.Appendf(slices.Clip(orig), "\nEdit %d.\n", i), 0o644); err != nil {
					b.Fatal(err)
				}
				w, err := r.Open(dir, []string{edited}, Lean())
				if err != nil {
					b.Fatal(err)
				}
				res := gap.Analyze(w.Model, w.Catalog, w.Diags, gap.Options{Now: asOf, Tiers: w.Tiers, FileExists: w.FileExists, Digest: w.FileDigest})
				if l := append(w.Diags, res.Findings...); len(l) > 0 || len(w.Set.Docs) != docs {
					b.Fatalf("generated AIMS of %d documents: %d loaded, %d findings: %v", docs, len(w.Set.Docs), len(l), l[:min(len(l), 3)])
				}
				w.Close()
			}
			// Files written less than the racy window ago are always read:
			// the generated AIMS has just been written.
			time.Sleep(cache.RacyWindow)
			run() // the first run loads everything
			loop(b, docs, run)
		})
	}
}
