//go:build linux || darwin || freebsd || netbsd || openbsd

package devices

import (
	"fmt"
	"os"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// openPair opens a pseudo-terminal, sets its slave side raw and starts
// the goroutine that reads what the driver writes.
func openPair() (*ptyPair, error) {
	m, sl, err := pty.Open()
	if err != nil {
		return nil, fmt.Errorf("devices: opening a pseudo-terminal: %w", err)
	}
	if err := makeRaw(int(sl.Fd())); err != nil {
		m.Close()
		sl.Close()
		return nil, fmt.Errorf("devices: setting the pseudo-terminal raw: %w", err)
	}
	// os.File from pty.Open is blocking; a non-blocking duplicate joins Go's
	// poller, so Close unblocks a pending Read and writes honour deadlines.
	fd, err := unix.Dup(int(m.Fd()))
	if err == nil {
		err = unix.SetNonblock(fd, true)
	}
	m.Close()
	if err != nil {
		sl.Close()
		return nil, fmt.Errorf("devices: preparing the pseudo-terminal master: %w", err)
	}
	p := &ptyPair{
		master: os.NewFile(uintptr(fd), "/dev/ptmx"),
		slave:  sl,
		rx:     make(chan []byte, 64),
		quit:   make(chan struct{}),
		done:   make(chan struct{}),
	}
	go p.read()
	return p, nil
}

func makeRaw(fd int) error {
	t, err := unix.IoctlGetTermios(fd, ioctlGetTermios)
	if err != nil {
		return err
	}
	t.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON | unix.IXOFF
	t.Oflag &^= unix.OPOST
	t.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	t.Cflag &^= unix.CSIZE | unix.PARENB
	t.Cflag |= unix.CS8
	t.Cc[unix.VMIN] = 1
	t.Cc[unix.VTIME] = 0
	return unix.IoctlSetTermios(fd, ioctlSetTermios, t)
}
