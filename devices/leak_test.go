package devices

import (
	"runtime"
	"strings"
)

// packageGoroutines returns the stacks of goroutines running code of this
// package (other than the test's own goroutine and test helpers).
func packageGoroutines() []string {
	buf := make([]byte, 1<<20)
	n := runtime.Stack(buf, true)
	var out []string
	for _, g := range strings.Split(string(buf[:n]), "\n\n") {
		if !strings.Contains(g, "workstation/devices.") {
			continue
		}
		if strings.Contains(g, "devices.packageGoroutines") || strings.Contains(g, "testing.tRunner") {
			continue
		}
		out = append(out, g)
	}
	return out
}
