package tui

import (
	"time"

	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/workstation/monitoring"
)

// The screens reach the engine, the store and the devices only through
// these interfaces, so that models and views are tested with fakes.

// MonitorReading is one observation from a monitored patient's device
// (monitoring.Reading).
type MonitorReading = monitoring.Reading

// MonitorStatus is a device's connection state (monitoring.Status).
type MonitorStatus = monitoring.Status

// MonitorFeed delivers monitor readings and status changes
// (monitoring.Feed). Each channel is closed when the feed ends.
type MonitorFeed = monitoring.Feed

// NEWS2Result is the part of a NEWS2 score the monitor board shows.
type NEWS2Result struct {
	Total    int
	Band     string // low, low-medium, medium, high
	Complete bool   // false when parameters are missing; Missing names them
	Missing  []string
	// NotApplicable: the patient is outside NEWS2 (under 16, pregnant);
	// no total and no band.
	NotApplicable bool
}

// NEWS2Scorer scores the latest scorable observations of one patient.
type NEWS2Scorer interface {
	NEWS2(obs []vitals.Observation, now time.Time) (NEWS2Result, error)
}
