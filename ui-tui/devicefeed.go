package tui

import (
	"context"
	"sync"

	"github.com/legevakt/workstation/devices"
	"github.com/legevakt/workstation/triage/vitals"
)

// DeviceSource is what the monitor feed needs of a running device;
// *devices.Device has it.
type DeviceSource interface {
	ID() string
	Observations() <-chan vitals.Observation
	Status() <-chan devices.StatusEvent
}

// DeviceFeed merges the observations and status changes of this
// workstation's devices into one MonitorFeed, naming each device's
// location. Its channels close when every device has stopped or ctx ends.
type DeviceFeed struct {
	readings chan MonitorReading
	statuses chan MonitorStatus
}

// NewDeviceFeed starts forwarding from srcs; location maps a device id to
// its bed or room.
func NewDeviceFeed(ctx context.Context, srcs []DeviceSource, location map[string]string) *DeviceFeed {
	f := &DeviceFeed{readings: make(chan MonitorReading, 64), statuses: make(chan MonitorStatus, 16)}
	var obsWG, stWG sync.WaitGroup
	for _, s := range srcs {
		id, loc := s.ID(), location[s.ID()]
		obsWG.Add(1)
		go func() {
			defer obsWG.Done()
			for o := range s.Observations() {
				select {
				case f.readings <- MonitorReading{Device: id, Location: loc, Obs: o}:
				case <-ctx.Done():
					return
				}
			}
		}()
		stWG.Add(1)
		go func() {
			defer stWG.Done()
			for e := range s.Status() {
				select {
				case f.statuses <- MonitorStatus{Device: id, Location: loc, State: string(e.State), Hint: e.Hint}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() { obsWG.Wait(); close(f.readings) }()
	go func() { stWG.Wait(); close(f.statuses) }()
	return f
}

// Readings implements MonitorFeed.
func (f *DeviceFeed) Readings() <-chan MonitorReading { return f.readings }

// Statuses implements MonitorFeed.
func (f *DeviceFeed) Statuses() <-chan MonitorStatus { return f.statuses }
