package codec_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/legevakt/workstation/protocols/codec"
)

func TestEveryKeepsTheDevicesRhythmAndNeverBursts(t *testing.T) {
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	e := codec.Every{Period: time.Second}
	steps := []struct {
		ms  int
		due bool
		why string
	}{
		{0, true, "the first tick sends"},
		{500, false, "half a period later nothing is due"},
		{999, false, "just before the period nothing is due"},
		{1000, true, "one period after the first send"},
		{2100, true, "a late tick sends"},
		{2500, false, "the next send stays at 3 s, the device's rhythm"},
		{3000, true, "on the rhythm again"},
		{9000, true, "after a long pause one send, not six"},
		{9100, false, "and no burst after it"},
		{9999, false, "the schedule restarted at 9 s"},
		{10000, true, "a period after the restart"},
	}
	for _, s := range steps {
		assert.Equal(t, s.due, e.Due(at(s.ms)), "at %d ms: %s", s.ms, s.why)
	}
}
