package wire

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"

	"github.com/legevakt/workstation/devices"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/desk"
)

// DeviceMonitors offers the workstation's configured devices, the serial
// ports found on the machine that no device uses, and any extra monitors
// (the demo's training monitors), and opens them through the device layer.
type DeviceMonitors struct {
	Config devices.Config
	// Simulators are running simulators (devices.StartSimulator), each
	// opened like a configured device at its pseudo-terminal path.
	Simulators []devices.DeviceConfig
	ListPorts  func() ([]devices.PortInfo, error) // nil: devices.ListPorts
	Extra      desk.Monitors                      // nil: none
	Options    []devices.Option                   // for tests: opener, clock
}

var _ desk.Monitors = (*DeviceMonitors)(nil)

// List implements desk.Monitors: configured devices first, then running
// simulators and the extra monitors, then serial ports no device uses
// (which need a profile in the device file before they can be opened).
func (m *DeviceMonitors) List(ctx context.Context) ([]desk.MonitorChoice, error) {
	var out []desk.MonitorChoice
	used := map[string]bool{}       // ports of configured devices, as written and resolved
	usedSerial := map[string]bool{} // their USB serial numbers
	for _, d := range m.Config.Devices {
		out = append(out, desk.MonitorChoice{Kind: desk.MonitorConfigured, ID: d.ID.String(), Location: d.Location, Path: d.Port, Profile: d.Profile})
		if d.Port != "" {
			used[d.Port] = true
			if real, err := filepath.EvalSymlinks(d.Port); err == nil {
				used[real] = true // a /dev/serial/by-id link
			}
		}
		if d.USBSerial != "" {
			usedSerial[d.USBSerial] = true
		}
	}
	for _, d := range m.Simulators {
		out = append(out, desk.MonitorChoice{Kind: desk.MonitorSimulator, ID: d.ID.String(), Location: d.Location, Path: d.Port, Profile: d.Profile})
	}
	var err error
	if m.Extra != nil {
		var extra []desk.MonitorChoice
		extra, err = m.Extra.List(ctx)
		out = append(out, extra...)
	}
	list := m.ListPorts
	if list == nil {
		list = devices.ListPorts
	}
	ports, perr := list()
	for _, p := range ports {
		if used[p.Name] || (p.SerialNumber != "" && usedSerial[p.SerialNumber]) {
			continue
		}
		if real, err := filepath.EvalSymlinks(p.Name); err == nil && used[real] {
			continue
		}
		out = append(out, desk.MonitorChoice{Kind: desk.MonitorPort, ID: filepath.Base(p.Name), Location: p.Product, Path: p.Name})
	}
	if err == nil {
		err = perr
	}
	if err != nil {
		return out, fmt.Errorf("list monitors: %w", err)
	}
	return out, nil
}

// Open implements desk.Monitors.
func (m *DeviceMonitors) Open(ctx context.Context, c desk.MonitorChoice) (desk.Feed, error) {
	switch c.Kind {
	case desk.MonitorConfigured, desk.MonitorSimulator:
		id := ids.Device(c.ID) // the desk keeps a device id as text (its draft, its state file)
		dc, ok := m.Config.Device(id)
		if c.Kind == desk.MonitorSimulator {
			ok = false
			for _, s := range m.Simulators {
				if s.ID == id {
					dc, ok = s, true
				}
			}
			if !ok {
				break // not ours: perhaps one of the extra monitors
			}
		}
		if !ok {
			return nil, fmt.Errorf("device %q is not in the device file", c.ID)
		}
		opts := append([]devices.Option(nil), m.Options...)
		if p, err := m.Config.ProfileFor(dc); err == nil {
			opts = append(opts, devices.WithProfile(p))
		}
		d, err := devices.Start(ctx, dc, opts...)
		if err != nil {
			return nil, fmt.Errorf("start device %s: %w", c.ID, err)
		}
		return newDeviceFeed(ctx, d, c.Kind == desk.MonitorSimulator), nil
	case desk.MonitorPort:
		// A bare port has no protocol: the nurse cannot guess one, and a
		// wrong guess looks like a broken device. It must be configured.
		return nil, fmt.Errorf("port %s has no device profile: add it to the device file (docs/devices.md) with its profile", c.Path)
	}
	if m.Extra != nil {
		return m.Extra.Open(ctx, c)
	}
	return nil, fmt.Errorf("monitor %q: unknown kind %q", c.ID, c.Kind)
}

// deviceFeed turns a device's status events into the desktop's.
type deviceFeed struct {
	d      *devices.Device
	status chan desk.DeviceStatus
	obs    <-chan vitals.Observation
	done   chan struct{} // closed by Close: a marking goroutine stops
	once   sync.Once
}

// newDeviceFeed feeds d's values and status to the desk. A simulator's
// values are simulated whatever its protocol says: they are marked of
// quality demo here, where the monitor is known to be one, so that the
// engine scores them only in demo mode and says so exactly when one of
// them is among the values used (and the recorder stores them as such).
func newDeviceFeed(ctx context.Context, d *devices.Device, simulated bool) *deviceFeed {
	f := &deviceFeed{d: d, status: make(chan desk.DeviceStatus, 8), obs: d.Observations(), done: make(chan struct{})}
	if simulated {
		f.obs = markSimulated(d.Observations(), f.done)
	}
	go func() {
		defer close(f.status)
		for ev := range d.Status() {
			s := desk.DeviceStatus{State: desk.DeviceState(ev.State), Hint: ev.Hint, At: ev.At}
			select {
			case f.status <- s:
			case <-ctx.Done():
				return
			}
		}
	}()
	return f
}

func (f *deviceFeed) Observations() <-chan vitals.Observation { return f.obs }
func (f *deviceFeed) Waves() <-chan vitals.Wave               { return f.d.Waves() }
func (f *deviceFeed) Status() <-chan desk.DeviceStatus        { return f.status }

// Close implements desk.Feed: the device closes, and so does the marking
// of a simulator's values (nobody reads them any more).
func (f *deviceFeed) Close() error {
	f.once.Do(func() { close(f.done) })
	return f.d.Close()
}

// markSimulated passes in on with every valid value marked vitals.Demo
// (questionable and invalid stay as they are: worse than demo); it closes
// when in does, and stops when done is closed.
func markSimulated(in <-chan vitals.Observation, done <-chan struct{}) <-chan vitals.Observation {
	out := make(chan vitals.Observation, cap(in))
	go func() {
		defer close(out)
		for o := range in {
			if o.Quality == vitals.Valid {
				o.Quality = vitals.Demo
			}
			select {
			case out <- o:
			case <-done:
				return
			}
		}
	}()
	return out
}
