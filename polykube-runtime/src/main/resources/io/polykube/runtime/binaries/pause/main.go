// polykube-pause: the sandbox process of a pod. It prints a line, then waits for SIGTERM or
// SIGINT and exits 0. As PID 1 of a pod's PID namespace it reaps zombie children on SIGCHLD.
// `pause -version` prints its version and exits.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

const version = "1"

func main() {
	if len(os.Args) > 1 && (os.Args[1] == "-version" || os.Args[1] == "--version") {
		fmt.Printf("polykube-pause %s\n", version)
		return
	}
	// a closed stdout (the log reader went away) must not kill us with SIGPIPE
	signal.Ignore(syscall.SIGPIPE)
	signals := make(chan os.Signal, 32)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT, syscall.SIGCHLD)
	fmt.Printf("polykube-pause %s: started as pid %d, waiting for SIGTERM or SIGINT\n", version, os.Getpid())
	for sig := range signals {
		if sig == syscall.SIGCHLD {
			reap()
			continue
		}
		fmt.Printf("polykube-pause: %v, exiting\n", sig)
		os.Exit(0)
	}
}

// reap collects every child that has exited, so none stays a zombie.
func reap() {
	for {
		var status syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &status, syscall.WNOHANG, nil)
		if err == syscall.EINTR {
			continue
		}
		if pid <= 0 || err != nil {
			return
		}
	}
}
