//go:build linux || darwin || freebsd || netbsd || openbsd

package devices

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockPort takes an exclusive advisory lock on the device at path, so a
// second program of this project (another triagectl watch, a workstation)
// that opens the same port is refused instead of both reading half of the
// bytes. go.bug.st/serial sets TIOCEXCL too, but that does not hold
// against root. The returned file holds the lock until closed.
func lockPort(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOCTTY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%s: %w", path, ErrPortInUse)
		}
		return nil, fmt.Errorf("%s: locking the port: %w", path, err)
	}
	return f, nil
}
