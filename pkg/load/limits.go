package load

import "sync/atomic"

// Default limits. A real AIMS document is far below the per-file ones and a
// large organisation's AIMS (10,000 documents hold about 250,000 values) far
// below the per-run ones; an alias bomb or a generated list is far above.
// Each bounds time and memory: parsing a value and building it with its
// position costs on the order of a microsecond and a few hundred bytes.
const (
	MaxDepth      = 100       // nesting of mappings and sequences
	MaxFileBytes  = 8 << 20   // size of one file
	MaxFileValues = 250_000   // values in one file (all its documents), after alias expansion
	MaxRunBytes   = 64 << 20  // size of all documents together
	MaxRunValues  = 2_000_000 // values in all documents together, after alias expansion
)

// Limits bound what loading may cost. Zero fields take the defaults above;
// tests set small ones.
type Limits struct {
	FileBytes, FileValues int
	RunBytes, RunValues   int
}

func (l Limits) orDefault() Limits {
	def := func(v, d int) int {
		if v > 0 {
			return v
		}
		return d
	}
	return Limits{
		FileBytes: def(l.FileBytes, MaxFileBytes), FileValues: def(l.FileValues, MaxFileValues),
		RunBytes: def(l.RunBytes, MaxRunBytes), RunValues: def(l.RunValues, MaxRunValues),
	}
}

// budget is shared by every file of one run: the values all documents
// expanded to so far, against the run's limit.
type budget struct {
	lim Limits
	run *atomic.Int64
}

func (b *budget) over() bool { return b.run.Load() > int64(b.lim.RunValues) }
