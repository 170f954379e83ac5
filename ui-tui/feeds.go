package tui

import (
	"context"
	"time"

	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/ui-tui/monitorboard"
	"github.com/legevakt/workstation/workstation/monitoring"
)

// The monitor feeds are the workstation layer's (workstation/monitoring):
// the names below keep the terminal front end's vocabulary.

// DeviceSource is what the monitor feed needs of a running device;
// *devices.Device has it.
type DeviceSource = monitoring.DeviceSource

// DeviceFeed merges this workstation's devices into one monitorboard.MonitorFeed.
type DeviceFeed = monitoring.DeviceFeed

// NewDeviceFeed starts forwarding from srcs; location maps a device id to
// its bed or room.
func NewDeviceFeed(ctx context.Context, srcs []DeviceSource, location map[string]string) *DeviceFeed {
	return monitoring.NewDeviceFeed(ctx, srcs, location)
}

// StoreMonitorFeed follows the monitor observations other workstations
// store on a shared database (monitoring.StoreFeed).
type StoreMonitorFeed = monitoring.StoreFeed

// StoreFeedWindow is how far back a monitored encounter's observations
// are read the first time it is seen.
const StoreFeedWindow = monitoring.StoreWindow

// NewStoreMonitorFeed subscribes to st's changes until ctx ends or the
// store closes, leaving out the encounters in own (monitoring.NewStoreFeed).
func NewStoreMonitorFeed(ctx context.Context, st store.Interface, a store.Actor, now func() time.Time, own ...int64) (*StoreMonitorFeed, error) {
	return monitoring.NewStoreFeed(ctx, st, a, now, own...)
}

// MergeFeeds combines monitor feeds into one, closed when all have ended
// or ctx ends.
func MergeFeeds(ctx context.Context, feeds ...monitorboard.MonitorFeed) monitorboard.MonitorFeed {
	return monitoring.Merge(ctx, feeds...)
}
