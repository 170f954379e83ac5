//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package devices

import (
	"fmt"
	"runtime"
)

// openPair reports that this system has no pseudo-terminals; simulators
// and pty replay need Linux or another Unix (on Windows, a virtual serial
// port pair such as com0com serves the same purpose).
func openPair() (*ptyPair, error) {
	return nil, fmt.Errorf("devices: pseudo-terminals are not available on %s; use a virtual serial port pair", runtime.GOOS)
}
