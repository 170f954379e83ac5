package wire

import (
	"context"
	"errors"
	"fmt"

	"github.com/legevakt/workstation/devices"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/ui-tui/monitorboard"
	"github.com/legevakt/workstation/workstation/monitoring"
)

// startDevices starts every configured device and merges them into the
// monitor board's feed; stop closes them all.
func startDevices(ctx context.Context, cfg devices.Config, devs []devices.DeviceConfig) (monitorboard.MonitorFeed, func(), error) {
	var running []*devices.Device
	stop := func() {
		for _, d := range running {
			_ = d.Close()
		}
	}
	srcs := make([]monitoring.DeviceSource, 0, len(devs))
	where := map[ids.Device]string{}
	for _, dc := range devs {
		var opts []devices.Option
		if p, err := cfg.ProfileFor(dc); err == nil {
			opts = append(opts, devices.WithProfile(p))
		}
		d, err := devices.Start(ctx, dc, opts...)
		if err != nil {
			stop()
			return nil, nil, fmt.Errorf("device %s: %w", dc.ID, err)
		}
		running = append(running, d)
		srcs = append(srcs, d)
		where[dc.ID] = dc.Location
	}
	if len(srcs) == 0 {
		return nil, stop, errors.New("no devices")
	}
	return monitoring.NewDeviceFeed(ctx, srcs, where), stop, nil
}
