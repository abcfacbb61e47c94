// Package server lets aims keep an AIMS loaded in a long-lived process of
// the user's (aims server), and lets a command ask that process to run it
// instead of loading the AIMS itself: the pre-commit run of a large AIMS
// then costs what changed, not what there is.
//
// One server per AIMS and user, found by a socket in a folder only the
// user can reach ($XDG_RUNTIME_DIR/aims, else aims/server in the user's
// cache folder), held by a lock file while it runs. A server answers only
// its own user (the peer's credentials are checked) and only a client
// built from the same executable; anything else it declines, and the
// client runs the command itself. This package moves requests and
// answers; what a server runs is its caller's (cmd/aims).
package server
