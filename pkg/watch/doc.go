// Package watch tells a long-lived process what changed under a folder
// since it last asked, from the operating system's file events (Linux
// inotify), so it need not list and stat the whole tree again.
//
// It answers conservatively: anything it cannot attribute to a file in a
// folder it watches (a folder created, moved or removed, a lost event,
// the tree itself moved) is a Reset, after which the caller must forget
// everything it learnt of the tree. It reads nothing but folder listings
// and never follows a link. Where the system has no such events New fails
// with errors.ErrUnsupported, and the caller reads the tree as usual.
package watch
