package queue

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/legevakt/workstation/triage"
)

// NEWS2 high means continuous monitoring, which the engine gives as
// Monitoring.Interval 0 "so that reassessment due is never late"
// (docs/engine.md §1); the store and the UIs pass it on as MonitorEvery 0.
// A waiting patient scored NEWS2 7 an hour ago must be flagged for
// reassessment, not treated like a patient with no NEWS2 at all.
func TestContinuousMonitoringIsAlwaysDue(t *testing.T) {
	seven := 7
	high := triaged(1, triage.Orange, 70*time.Minute)
	high.LastAssessedAt = t0.Add(-60 * time.Minute)
	high.MonitorEvery = 0 // news2 "continuous"
	high.NEWS2, high.NEWS2Band = &seven, "high"

	got := Order([]Item{high}, t0, DefaultPolicy())
	assert.True(t, got[0].ReassessmentDue, "NEWS2 high (continuous monitoring), assessed 60 min ago: reassessment due")
	assert.Equal(t, high.LastAssessedAt, got[0].ReassessAt)
}
