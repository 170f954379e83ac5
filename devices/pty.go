package devices

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// ptyPair is one pseudo-terminal: the master side is ours (the "device"),
// the slave side is what a driver opens. We keep our own slave descriptor
// open so the master never sees EIO between driver sessions, and set it raw
// at once, so bytes written before a driver opens are not echoed back.
type ptyPair struct {
	master *os.File // non-blocking, so writes take deadlines
	slave  *os.File
	rx     chan []byte // bytes the driver wrote; closed when the master fails
	quit   chan struct{}
	done   chan struct{}
	once   sync.Once
}

// ttyName is the slave's device path (e.g. /dev/pts/3).
func (p *ptyPair) ttyName() string { return p.slave.Name() }

func (p *ptyPair) read() {
	defer close(p.done)
	defer close(p.rx)
	buf := make([]byte, 4096)
	for {
		n, err := p.master.Read(buf)
		if n > 0 {
			select {
			case p.rx <- append([]byte(nil), buf[:n]...):
			case <-p.quit:
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// errWriteTimeout reports bytes the driver did not take in time.
var errWriteTimeout = errors.New("pseudo-terminal full: no driver is reading")

// write sends b to the driver. When no driver reads and the kernel buffer
// is full, the bytes are dropped after wait, as a real device's UART would
// drop them on an unconnected line.
func (p *ptyPair) write(b []byte, wait time.Duration) (int, error) {
	_ = p.master.SetWriteDeadline(time.Now().Add(wait))
	n, err := p.master.Write(b)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return n, errWriteTimeout
	}
	return n, err
}

// close hangs the line up (the driver's reads fail) and stops the reader.
func (p *ptyPair) close() {
	p.once.Do(func() {
		close(p.quit)
		p.master.Close()
		p.slave.Close()
		<-p.done
	})
}

// publish points the symbolic link at the pair's slave atomically, so a
// driver reopening the link finds the new pseudo-terminal.
func publish(link, target string) error {
	tmp := link + ".new"
	_ = os.Remove(tmp)
	if err := os.Symlink(target, tmp); err != nil {
		return fmt.Errorf("devices: linking %s: %w", link, err)
	}
	if err := os.Rename(tmp, link); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("devices: linking %s: %w", link, err)
	}
	return nil
}

// PTY is a pseudo-terminal published at a stable path, for replaying a
// recording to a live driver (triagectl replay --pty). Bytes the driver
// writes are read and discarded.
type PTY struct {
	pair    *ptyPair
	link    string
	tempDir string
}

// OpenPTY creates a pseudo-terminal and publishes it at the WithLinkPath
// path or, by default, at a fresh temporary path.
func OpenPTY(opts ...Option) (*PTY, error) {
	o := buildOptions(opts)
	pair, link, tempDir, err := openPublished(o.linkPath)
	if err != nil {
		return nil, err
	}
	go func() { // discard what the driver writes, until the pair closes
		for range pair.rx {
		}
	}()
	return &PTY{pair: pair, link: link, tempDir: tempDir}, nil
}

// Path is the stable path a driver opens.
func (p *PTY) Path() string { return p.link }

// Write sends bytes to the driver; they are dropped after a short wait if no
// driver reads.
func (p *PTY) Write(b []byte) (int, error) { return p.pair.write(b, 100*time.Millisecond) }

// Close hangs up and removes the published path.
func (p *PTY) Close() error {
	p.pair.close()
	cleanupLink(p.link, p.tempDir)
	return nil
}

// openPublished opens a pseudo-terminal pair and publishes its slave at the
// given link path (or a fresh temporary one); on error nothing is left behind.
func openPublished(given string) (pair *ptyPair, link, tempDir string, err error) {
	link, tempDir, err = linkPath(given)
	if err != nil {
		return nil, "", "", err
	}
	pair, err = openPair()
	if err != nil {
		cleanupLink(link, tempDir)
		return nil, "", "", err
	}
	if err := publish(link, pair.ttyName()); err != nil {
		pair.close()
		cleanupLink(link, tempDir)
		return nil, "", "", err
	}
	return pair, link, tempDir, nil
}

func linkPath(given string) (link, tempDir string, err error) {
	if given != "" {
		// Only a free path or an earlier link may be (re)placed: never an
		// engineer's file or a real device node.
		if fi, err := os.Lstat(given); err == nil && fi.Mode()&os.ModeSymlink == 0 {
			return "", "", fmt.Errorf("devices: link path %s exists and is not a symbolic link; give a free path", given)
		}
		return given, "", nil
	}
	dir, err := os.MkdirTemp("", "triage-pty-")
	if err != nil {
		return "", "", fmt.Errorf("devices: creating a directory for the pseudo-terminal link: %w", err)
	}
	return filepath.Join(dir, "tty"), dir, nil
}

func cleanupLink(link, tempDir string) {
	os.Remove(link)
	if tempDir != "" {
		os.Remove(tempDir)
	}
}
