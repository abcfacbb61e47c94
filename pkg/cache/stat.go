package cache

import (
	"io/fs"
	"time"
)

// Unchanged files need not even be read: like git's index, an entry can
// map a file's identity on disk (device, inode, size, mode, modification
// and change times) to the key of its content. The change time cannot be
// set by users and moves on every write, so a file with the same identity
// holds the same bytes, with one exception git calls "racy": a file
// written again within the file system's timestamp granularity after its
// identity was recorded. So an identity is recorded only for a file
// unchanged for RacyWindow before the run began; a file edited since then
// is read.

// RacyWindow is how long a file must be unchanged before its identity is
// recorded; far above the coarsest timestamp granularity of common file
// systems (FAT's 2 s).
const RacyWindow = 3 * time.Second

// Identity is what a file's identity is made of; false when info carries
// no such data (a git revision, a platform without it), or when the file
// changed too recently to be trusted at start.
func Identity(info fs.FileInfo, start time.Time) ([]byte, bool) {
	id, changed, ok := identity(info)
	if !ok || !changed.Before(start.Add(-RacyWindow)) {
		return nil, false
	}
	return id, true
}
