//go:build unix

package monitoring

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// lockSpool takes an exclusive lock on the spool directory, so that two
// recorders never write the same spool file twice; the lock goes with the
// process, so a crash leaves none behind.
func lockSpool(dir string) (*os.File, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("monitor spool: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, ".lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("monitor spool: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("monitor spool %s is in use by another recorder: %w", dir, err)
	}
	return f, nil
}
