package triage

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/vitals"
)

// The systolic-above-diastolic check compares one measurement's pair only:
// a nurse-typed SBP of 80 (red: adult.sbp.red.low, NEWS2 3) is scored even
// though a monitor's earlier NIBP diastolic was 85 (before, both were left
// out and the patient came out green, "vitals incomplete").
func TestPlainSystolicIsNotDiscardedByADeviceDiastolic(t *testing.T) {
	in := healthy()
	in.SBP, in.DBP = news2.Of(80), news2.Measure{} // nurse re-measured: systolic 80
	in.Observations = []vitals.Observation{
		obs(vitals.DBP, 85, vitals.MmHg, "nibp", 5*time.Minute, vitals.Valid), // monitor NIBP 5 min ago
	}
	a := assess(t, in)
	require.True(t, a.NEWS2.Components.SBP.Present, "the nurse's systolic must be scored; left out: %v", a.LeftOut)
	assert.Equal(t, 80.0, a.NEWS2.Components.SBP.Raw)
	_, fired := a.ReasonFor("adult.sbp.red.low")
	assert.True(t, fired, "SBP 80 < 90 is red; reasons %v", a.Reasons)
	assert.Equal(t, Red, a.Colour)
}

// A fresh device systolic is scored whatever a diastolic from another
// source (a phone report 50 min old) says.
func TestDeviceSystolicIsNotDiscardedByAnotherSourcesDiastolic(t *testing.T) {
	in := healthy()
	in.SBP, in.DBP = news2.Measure{}, news2.Measure{}
	in.Observations = []vitals.Observation{
		obs(vitals.SBP, 85, vitals.MmHg, "nibp", time.Minute, vitals.Valid),
		obs(vitals.DBP, 95, vitals.MmHg, vitals.SourcePhone, 50*time.Minute, vitals.Valid),
	}
	a := assess(t, in)
	_, fired := a.ReasonFor("adult.sbp.red.low")
	assert.True(t, fired, "SBP 85 from the monitor is red; left out %v", a.LeftOut)
	assert.Equal(t, Red, a.Colour)
}
