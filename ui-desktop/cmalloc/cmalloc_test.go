package cmalloc

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestLimitArenasRejectsOutOfRange(t *testing.T) {
	for _, n := range []int{-1, 0, MaxArenas + 1} {
		ok, err := LimitArenas(n)
		var e ErrArenas
		if ok || !errors.As(err, &e) || e.N != n {
			t.Errorf("LimitArenas(%d) = %v, %v; want false and ErrArenas{%d}", n, ok, err, n)
		}
	}
}

func TestLimitArenasSetsIt(t *testing.T) {
	ok, err := LimitArenas(2)
	if err != nil || ok != Supported {
		t.Errorf("LimitArenas(2) = %v, %v; want %v, nil", ok, err, Supported)
	}
}

func TestTrimEveryEndsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { TrimEvery(ctx, time.Millisecond); close(done) }()
	cancel()
	<-done // a TrimEvery that never returns hangs the test until its timeout
}

func TestFixMmapThresholdRejectsOutOfRange(t *testing.T) {
	for _, n := range []int{0, MinMmapThreshold - 1, MaxMmapThreshold + 1} {
		ok, err := FixMmapThreshold(n)
		var e ErrMmapThreshold
		if ok || !errors.As(err, &e) || e.Bytes != n {
			t.Errorf("FixMmapThreshold(%d) = %v, %v; want false and ErrMmapThreshold{%d}", n, ok, err, n)
		}
	}
}
