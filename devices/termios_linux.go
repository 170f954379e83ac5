package devices

import "golang.org/x/sys/unix"

// The termios requests for reading and setting line settings.
const (
	ioctlGetTermios = unix.TCGETS
	ioctlSetTermios = unix.TCSETS
)
