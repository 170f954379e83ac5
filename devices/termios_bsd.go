//go:build darwin || freebsd || netbsd || openbsd

package devices

import "golang.org/x/sys/unix"

// The termios requests for reading and setting line settings.
const (
	ioctlGetTermios = unix.TIOCGETA
	ioctlSetTermios = unix.TIOCSETA
)
