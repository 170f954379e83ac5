package wire

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/legevakt/workstation/devices"
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
		out = append(out, desk.MonitorChoice{Kind: desk.MonitorConfigured, ID: d.ID, Location: d.Location, Path: d.Port, Profile: d.Profile})
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
		out = append(out, desk.MonitorChoice{Kind: desk.MonitorSimulator, ID: d.ID, Location: d.Location, Path: d.Port, Profile: d.Profile})
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
		dc, ok := m.Config.Device(c.ID)
		if c.Kind == desk.MonitorSimulator {
			ok = false
			for _, s := range m.Simulators {
				if s.ID == c.ID {
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
		return newDeviceFeed(ctx, d), nil
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
}

func newDeviceFeed(ctx context.Context, d *devices.Device) *deviceFeed {
	f := &deviceFeed{d: d, status: make(chan desk.DeviceStatus, 8)}
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

func (f *deviceFeed) Observations() <-chan vitals.Observation { return f.d.Observations() }
func (f *deviceFeed) Waves() <-chan vitals.Wave               { return f.d.Waves() }
func (f *deviceFeed) Status() <-chan desk.DeviceStatus        { return f.status }
func (f *deviceFeed) Close() error                            { return f.d.Close() }
