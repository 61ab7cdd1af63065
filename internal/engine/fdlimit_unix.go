//go:build unix

package engine

import "syscall"

// fileLimit returns the process's open-file limit (RLIMIT_NOFILE), or 0
// when it cannot tell.
func fileLimit() int {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil || lim.Cur > 1<<30 {
		return 0
	}
	return int(lim.Cur)
}
