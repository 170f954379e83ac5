package main

import "testing"

// TestSplitSmaps adds each mapping's Rss to its kind: a named file, the
// C heap, an anonymous mapping at a Go heap address, any other anonymous
// mapping (a thread's malloc arena, the stack).
func TestSplitSmaps(t *testing.T) {
	smaps := `00403000-0124d000 r-xp 00000000 08:01 123 /tmp/soak/triage-desk
Size:              14632 kB
Rss:               14000 kB
08f92000-0b852000 rw-p 00000000 00:00 0                                  [heap]
Size:              41728 kB
Rss:               34440 kB
1e80dd400000-1e80e5c00000 rw-p 00000000 00:00 0 
Rss:               22248 kB
7f9b18cc0000-7f9b18e70000 rw-p 00000000 00:00 0 
Rss:                1508 kB
7f9ae679b000-7f9ae6bfb000 rw-s 00000000 00:01 5 /SYSV00000000 (deleted)
Rss:                4300 kB
7ffd1c3a0000-7ffd1c3c1000 rw-p 00000000 00:00 0                          [stack]
Rss:                 132 kB
`
	got := splitSmaps(smaps)
	want := resident{goArena: 22248, cHeap: 34440, anon: 1508 + 132, file: 14000 + 4300}
	if got != want {
		t.Fatalf("splitSmaps = %+v, want %+v", got, want)
	}
}
