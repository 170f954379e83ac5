//go:build linux && cgo

package cmalloc

/*
#include <malloc.h>
*/
import "C"

// Supported reports whether the settings take effect in this build
// (glibc on Linux, with cgo).
const Supported = true

func limitArenas(n int) bool {
	// M_ARENA_MAX is documented in mallopt(3); mallopt returns 1 on success.
	return C.mallopt(C.M_ARENA_MAX, C.int(n)) == 1
}

func mmapThreshold(n int) bool {
	return C.mallopt(C.M_MMAP_THRESHOLD, C.int(n)) == 1
}

func trim() bool { return C.malloc_trim(0) == 1 }
