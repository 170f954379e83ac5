package main

import (
	"math"
	"testing"
	"time"
)

// TestSplitSmaps adds each mapping's Rss to its kind: a named file, the
// C heap, an anonymous mapping at a Go heap address (Go 1.26 picks it at
// random, as low as 0x51968000000 in one run), any other anonymous
// mapping (the binary's bss, a thread's malloc arena, the stack).
func TestSplitSmaps(t *testing.T) {
	smaps := `00403000-0124d000 r-xp 00000000 08:01 123 /tmp/soak/triage-desk
Size:              14632 kB
Rss:               14000 kB
08f92000-0b852000 rw-p 00000000 00:00 0                                  [heap]
Size:              41728 kB
Rss:               34440 kB
1e80dd400000-1e80e5c00000 rw-p 00000000 00:00 0 
Rss:               22248 kB
51968000000-51970800000 rw-p 00000000 00:00 0 
Rss:                1000 kB
04c71000-04c72000 rw-p 00000000 00:00 0 
Rss:                   4 kB
7f9b18cc0000-7f9b18e70000 rw-p 00000000 00:00 0 
Rss:                1508 kB
7f9ae679b000-7f9ae6bfb000 rw-s 00000000 00:01 5 /SYSV00000000 (deleted)
Rss:                4300 kB
7ffd1c3a0000-7ffd1c3c1000 rw-p 00000000 00:00 0                          [stack]
Rss:                 132 kB
`
	got := splitSmaps(smaps)
	want := resident{goArena: 22248 + 1000, cHeap: 34440, anon: 4 + 1508 + 132, file: 14000 + 4300}
	if got != want {
		t.Fatalf("splitSmaps = %+v, want %+v", got, want)
	}
}

// TestTrend: samples rising 0.5 MiB a minute from minute 10 on, after a
// fast first ten minutes, give a slope of 0.5 from minute 10 and a larger
// one from minute 5; a range with fewer than two samples gives none.
func TestTrend(t *testing.T) {
	var samples []sample
	for m := 0; m <= 20; m++ {
		kib := 180*1024 + 2*1024*min(m, 10) + 512*max(m-10, 0)
		samples = append(samples, sample{at: time.Duration(m) * time.Minute, rss: kib})
	}
	got, ok := trend(samples, 10*time.Minute)
	if !ok || got.n != 11 || math.Abs(got.slope-0.5) > 1e-9 || got.lo != 200 || got.hi != 205 {
		t.Errorf("trend from minute 10 = %+v, %v; want 11 samples, 200-205 MiB, slope 0.5", got, ok)
	}
	if early, _ := trend(samples, 5*time.Minute); early.slope <= got.slope {
		t.Errorf("slope from minute 5 %.3f, want more than from minute 10 %.3f", early.slope, got.slope)
	}
	if _, ok := trend(samples, 20*time.Minute); ok {
		t.Error("trend of one sample: want none")
	}
}
