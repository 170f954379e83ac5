//go:build !linux || !cgo

package cmalloc

// Supported reports whether the settings take effect in this build
// (glibc on Linux, with cgo).
const Supported = false

func limitArenas(int) bool { return false }

func mmapThreshold(int) bool { return false }

func trim() bool { return false }
