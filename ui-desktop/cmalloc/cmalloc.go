package cmalloc

import (
	"context"
	"fmt"
	"time"
)

// Accepted arena limits: one arena serialises every allocating thread on
// one lock; more than 64 is no limit on any workstation.
const (
	MinArenas = 1
	MaxArenas = 64
)

// ErrArenas is returned by LimitArenas for a limit outside MinArenas to
// MaxArenas.
type ErrArenas struct{ N int }

// Error names the limit asked for and the accepted range.
func (e ErrArenas) Error() string {
	return fmt.Sprintf("cmalloc: arena limit %d: want %d to %d", e.N, MinArenas, MaxArenas)
}

// LimitArenas caps glibc's malloc arenas at n. Call it at start, before the
// OpenGL driver starts its threads: arenas already made are kept. It
// reports whether the limit was set (false where Supported is false).
func LimitArenas(n int) (bool, error) {
	if n < MinArenas || n > MaxArenas {
		return false, ErrArenas{N: n}
	}
	return limitArenas(n), nil
}

// Trim gives the C allocator's free pages back to the system
// (malloc_trim(0)) and reports whether any memory was released.
func Trim() bool { return trim() }

// TrimEvery calls Trim every d until ctx is done. Trimming walks the free
// lists of every arena under its lock (well under a millisecond for the
// desk's few tens of MiB), so once a minute costs nothing measurable.
func TrimEvery(ctx context.Context, d time.Duration) {
	if !Supported || d <= 0 {
		return
	}
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			trim()
		}
	}
}

// Accepted mmap thresholds: glibc's own floor (its default) is 128 KiB;
// above 32 MiB (its dynamic ceiling on 64-bit) nothing would be mapped
// apart.
const (
	MinMmapThreshold = 16 << 10
	MaxMmapThreshold = 32 << 20
)

// ErrMmapThreshold is returned by FixMmapThreshold for a size outside
// MinMmapThreshold to MaxMmapThreshold.
type ErrMmapThreshold struct{ Bytes int }

// Error names the threshold asked for and the accepted range.
func (e ErrMmapThreshold) Error() string {
	return fmt.Sprintf("cmalloc: mmap threshold %d bytes: want %d to %d", e.Bytes, MinMmapThreshold, MaxMmapThreshold)
}

// FixMmapThreshold makes every allocation of at least n bytes a mapping
// of its own, given back to the system when freed. glibc starts at 128
// KiB but raises the threshold to the size of each mapped block freed, so
// after the first large texture is freed later ones come from the heap and
// leave holes there; a fixed threshold stops that (mallopt(3)). It reports
// whether the threshold was set (false where Supported is false).
func FixMmapThreshold(n int) (bool, error) {
	if n < MinMmapThreshold || n > MaxMmapThreshold {
		return false, ErrMmapThreshold{Bytes: n}
	}
	return mmapThreshold(n), nil
}
