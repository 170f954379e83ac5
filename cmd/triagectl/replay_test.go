package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestTheReplayProgressBarShowsPositionAndLength(t *testing.T) {
	var buf bytes.Buffer
	start := time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC)
	p := &progress{w: &buf, on: true, length: 30 * time.Second}
	p.update(start)
	p.shown = time.Time{} // allow the next draw at once
	p.update(start.Add(15 * time.Second))
	p.done()
	out := buf.String()
	assert.Contains(t, out, "\rreplay [===============>              ]  50%  00:15 of 00:30")
	assert.True(t, strings.HasSuffix(out, "\n"), "the bar ends its line when done")
}

func TestAnOffProgressBarDrawsNothing(t *testing.T) {
	var buf bytes.Buffer
	p := &progress{w: &buf, length: time.Hour}
	p.update(time.Now())
	p.done()
	assert.Empty(t, buf.String())
}

func TestClockFormatsHoursOnlyWhenNeeded(t *testing.T) {
	assert.Equal(t, "01:05", clock(65*time.Second))
	assert.Equal(t, "2:00:01", clock(2*time.Hour+time.Second))
}
