//go:build !unix

package monitoring

import (
	"fmt"
	"os"
	"path/filepath"
)

// lockSpool opens the spool directory's lock file; without flock the
// directory must not be shared by two running recorders.
func lockSpool(dir string) (*os.File, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("monitor spool: %w", err)
	}
	return os.OpenFile(filepath.Join(dir, ".lock"), os.O_RDWR|os.O_CREATE, 0o600)
}
