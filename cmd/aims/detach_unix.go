//go:build unix

package main

import "syscall"

// detached starts a process in a session of its own: ^C in the terminal,
// or closing it, leaves the process running.
func detached() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setsid: true} }
