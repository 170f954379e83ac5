//go:build linux && cgo

package cmalloc

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/legevakt/workstation/ui-desktop/cmalloc/internal/cchurn"
)

// rssKiB is this process's resident set (VmRSS) in KiB.
func rssKiB(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			n, err := strconv.Atoi(f[1])
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatal("no VmRSS in /proc/self/status")
	return 0
}

// 64 MiB freed in 64 KiB blocks below blocks still in use stays resident
// until Trim gives the free pages back; Trim must return most of it.
func TestTrimReturnsFreePagesInsideTheHeap(t *testing.T) {
	runtime.LockOSThread() // one thread, so one arena, for the whole test
	defer runtime.UnlockOSThread()
	const n, size = 1024, 64 << 10
	cchurn.Fragment(n, size)
	defer cchurn.Release()
	before := rssKiB(t)
	if !Trim() {
		t.Fatal("Trim released nothing after 57 MiB were freed inside the heap")
	}
	after := rssKiB(t)
	freed := n * 9 / 10 * size >> 10
	if got := before - after; got < freed/2 {
		t.Errorf("Trim gave back %d KiB of the %d KiB freed inside the heap; want at least half", got, freed)
	}
}

// glibc raises its mmap threshold to the size of each mapped block freed;
// fixed, a 1 MiB block is still mapped apart after a 4 MiB one was freed.
// The check runs in a process of its own (this test binary again), whose
// heap has no free chunk large enough to serve the block without growing.
func TestFixMmapThresholdStopsTheRise(t *testing.T) {
	if os.Getenv("CMALLOC_CHILD") == "1" {
		if ok, err := FixMmapThreshold(128 << 10); !ok || err != nil {
			fmt.Printf("FixMmapThreshold(128 KiB) = %v, %v\n", ok, err)
			os.Exit(2)
		}
		if !cchurn.MappedAfterFree(1 << 20) {
			fmt.Println("a 1 MiB block came from the heap after a 4 MiB block was freed: the threshold rose")
			os.Exit(1)
		}
		os.Exit(0)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestFixMmapThresholdStopsTheRise$")
	cmd.Env = append(os.Environ(), "CMALLOC_CHILD=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("%v: %s", err, out)
	}
}
