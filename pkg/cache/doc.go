// Package cache keeps results that depend only on content, so a run after a
// small edit redoes only the work the edit invalidated. It is a
// content-addressed store on disk, per user and outside any repository
// (os.UserCacheDir()/aims, or $AIMS_CACHE_DIR), plus a small codec for
// plain data: the entries of pkg/load (a file's parsed documents) and
// pkg/workspace (a document's schema diagnostics, evidence digests, where
// approvals were recorded in git) are written with it.
//
// A run's new entries are written together, as one pack file, and an index
// maps each key to its pack and byte range (Flush): one file per entry
// costs more to create than the parse it saves. The index is kept sorted by
// key and searched in place; a pack is read whole once per run. Past a
// number of packs the cache keeps only what the latest run used.
//
// An entry is never trusted: it is read only when its header names this
// format and its own key and its CRC-32C checksum matches its bytes, and it is
// decoded by bounds-checked code into plain values (strings, numbers, maps,
// lists, positions), never into code or types chosen by the entry. Anything
// else (a corrupt, truncated, foreign or older entry) is a miss, and the
// work is done again. Failing to write an entry is never an error: the cache
// only saves time.
//
// Keys cover everything a result depends on: the file's name and bytes, the
// limits it was read with, the aims build and the embedded schemas (Salt).
// Identity lets a caller skip reading a file unchanged on disk, as git's
// index does, without ever trusting a file changed just before the run.
// It must not hold anything that is not derived from the AIMS's own files.
package cache
