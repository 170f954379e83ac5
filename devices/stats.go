package devices

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/legevakt/workstation/protocols/codec"
)

// MaxErrorOffsets bounds the byte offsets kept per error kind in
// StreamStats, so a file of noise cannot grow the statistics without end;
// the count stays exact.
const MaxErrorOffsets = 1000

// MaxGaps bounds the gaps listed in StreamStats.
const MaxGaps = 1000

// GapFactor: an interval between records longer than this many frame
// periods (and than MinGap) is a gap.
const GapFactor = 3

// MinGap is the shortest interval reported as a gap.
const MinGap = 500 * time.Millisecond

// ErrorStats is one error kind in StreamStats.
type ErrorStats struct {
	Count uint64 `json:"count"`
	// Offsets are the byte offsets (in the device's stream) at which the
	// decoder noticed the errors, the first MaxErrorOffsets of them.
	Offsets []uint64 `json:"offsets"`
}

// Gap is a pause in the device's records.
type Gap struct {
	// After is the host time of the last record before the gap.
	After time.Time `json:"after"`
	// Seconds is the length of the pause.
	Seconds float64 `json:"seconds"`
	// Offset is the byte offset of the first record after it.
	Offset uint64 `json:"offset"`
}

// StreamStats is the statistics of one decode, as `decode --stats` writes
// them (JSON).
type StreamStats struct {
	File         string                `json:"file"`
	Protocol     string                `json:"protocol"`
	Bytes        uint64                `json:"bytes"`
	Frames       uint64                `json:"frames"`
	Records      map[string]int        `json:"records"`
	Errors       map[string]ErrorStats `json:"errors"`
	Resyncs      uint64                `json:"resyncs"`
	Observations int                   `json:"observations"`
	Waves        int                   `json:"waves"`
	Events       int                   `json:"events"`
	Valid        int                   `json:"valid"`
	// FramePeriodMS is the median interval between chunks that completed
	// records, in ms; JitterMS the standard deviation of those intervals.
	// Both are null for a raw dump (no times) or fewer than two records.
	FramePeriodMS *float64 `json:"frame_period_ms"`
	JitterMS      *float64 `json:"jitter_ms"`
	Gaps          []Gap    `json:"gaps"`
	// GapsTotal counts every gap, also those beyond MaxGaps.
	GapsTotal int `json:"gaps_total"`
}

// StatsCollector builds StreamStats from a decode's trace.
type StatsCollector struct {
	s        StreamStats
	times    []time.Time // host time of each chunk that completed records
	offsets  []uint64    // offset at the end of the first record of each such chunk
	lastTime time.Time
}

// NewStatsCollector starts statistics for file decoded with protocol.
func NewStatsCollector(file, protocol string) *StatsCollector {
	c := &StatsCollector{s: StreamStats{File: file, Protocol: protocol, Records: map[string]int{}, Errors: map[string]ErrorStats{}, Gaps: []Gap{}}}
	for _, k := range codec.ErrorKinds() {
		c.s.Errors[k.String()] = ErrorStats{Offsets: []uint64{}}
	}
	return c
}

// Trace takes one step of the decode (DecodeHandler.Trace).
func (c *StatsCollector) Trace(tr Trace) error {
	for _, k := range tr.Errors {
		e := c.s.Errors[k.String()]
		e.Count++
		if len(e.Offsets) < MaxErrorOffsets {
			e.Offsets = append(e.Offsets, tr.End-1)
		}
		c.s.Errors[k.String()] = e
	}
	if tr.Record != nil {
		c.s.Records[RecordType(tr.Record)]++
		if !tr.Time.IsZero() && (len(c.times) == 0 || !tr.Time.Equal(c.lastTime)) {
			c.times = append(c.times, tr.Time)
			c.offsets = append(c.offsets, tr.Start)
			c.lastTime = tr.Time
		}
	}
	return nil
}

// Finish completes the statistics with the decode's summary.
func (c *StatsCollector) Finish(sum DecodeSummary) StreamStats {
	s := c.s
	s.Bytes, s.Frames, s.Resyncs = sum.Stats.Bytes, sum.Stats.Frames, sum.Stats.Resyncs
	s.Observations, s.Waves, s.Events, s.Valid = sum.Observations, sum.Waves, sum.Events, sum.Valid
	if len(c.times) < 2 {
		return s
	}
	iv := make([]float64, 0, len(c.times)-1)
	for i := 1; i < len(c.times); i++ {
		iv = append(iv, float64(c.times[i].Sub(c.times[i-1]))/float64(time.Millisecond))
	}
	sorted := append([]float64(nil), iv...)
	sort.Float64s(sorted)
	period := sorted[len(sorted)/2]
	if len(sorted)%2 == 0 {
		period = (sorted[len(sorted)/2-1] + sorted[len(sorted)/2]) / 2
	}
	var mean, ss float64
	for _, v := range iv {
		mean += v
	}
	mean /= float64(len(iv))
	for _, v := range iv {
		ss += (v - mean) * (v - mean)
	}
	jitter := math.Sqrt(ss / float64(len(iv)))
	period, jitter = math.Round(period*1000)/1000, math.Round(jitter*1000)/1000
	s.FramePeriodMS, s.JitterMS = &period, &jitter
	limit := max(GapFactor*period, float64(MinGap/time.Millisecond))
	for i, v := range iv {
		if v > limit {
			s.GapsTotal++
			if len(s.Gaps) < MaxGaps {
				s.Gaps = append(s.Gaps, Gap{After: c.times[i], Seconds: math.Round(v) / 1000, Offset: c.offsets[i+1]})
			}
		}
	}
	return s
}

// RecordType names a record's type for statistics and dissection: the Go
// type without package path or pointer ("PHDB", "PollResult", "Message").
func RecordType(rec any) string {
	name := fmt.Sprintf("%T", rec)
	name = strings.TrimLeft(name, "*")
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	return name
}
