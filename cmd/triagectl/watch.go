package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/legevakt/workstation/devices"
)

func init() {
	register(command{name: "watch", summary: "run a live device session and print observations and status as JSON Lines", run: runWatch})
}

// deviceFlags are the flags watch and record share.
type deviceFlags struct {
	port, usbSerial, profile, config, id, device string
	forDur                                       time.Duration
}

func (d *deviceFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&d.port, "port", "", "serial port or pseudo-terminal `path`")
	fs.StringVar(&d.usbSerial, "usb-serial", "", "find the port by the USB adapter's serial `number` (triagectl ports)")
	fs.StringVar(&d.profile, "profile", "", "device profile `NAME` (built in, or from --config)")
	fs.StringVar(&d.config, "config", "", "device configuration `file` with site profiles (docs/devices.md)")
	fs.StringVar(&d.id, "id", "", "device `id` for the source field (default: the profile name)")
	fs.StringVar(&d.device, "device", "", "take port, USB serial and profile of the configured device with this `id` (needs --config)")
	fs.DurationVar(&d.forDur, "for", 0, "stop after this `duration` (default: until interrupted)")
}

// resolve returns the device configuration and profile the flags name.
func (d *deviceFlags) resolve() (devices.DeviceConfig, devices.Profile, error) {
	if d.forDur < 0 {
		return devices.DeviceConfig{}, devices.Profile{}, fmt.Errorf("--for %v: want a positive duration (leave it out to run until interrupted)", d.forDur)
	}
	if d.device != "" {
		if d.config == "" {
			return devices.DeviceConfig{}, devices.Profile{}, fmt.Errorf("--device needs --config")
		}
		cfg, err := devices.LoadConfig(d.config)
		if err != nil {
			return devices.DeviceConfig{}, devices.Profile{}, err
		}
		dc, ok := cfg.Device(d.device)
		if !ok {
			return devices.DeviceConfig{}, devices.Profile{}, fmt.Errorf("no device %q in %s", d.device, d.config)
		}
		if d.port != "" { // an explicit port wins, e.g. a simulator standing in
			dc.Port, dc.USBSerial = d.port, ""
		}
		prof, err := cfg.ProfileFor(dc)
		return dc, prof, err
	}
	if d.port == "" && d.usbSerial == "" {
		return devices.DeviceConfig{}, devices.Profile{}, fmt.Errorf("give --port, --usb-serial or --config with --device")
	}
	if d.profile == "" {
		return devices.DeviceConfig{}, devices.Profile{}, fmt.Errorf("give --profile")
	}
	dc := devices.DeviceConfig{ID: d.id, Port: d.port, USBSerial: d.usbSerial, Profile: d.profile}
	if dc.ID == "" {
		dc.ID = d.profile
	}
	var cfg devices.Config
	if d.config != "" {
		c, err := devices.LoadConfig(d.config)
		if err != nil {
			return dc, devices.Profile{}, err
		}
		cfg = c
	}
	prof, err := cfg.ProfileFor(dc)
	return dc, prof, err
}

// signalContext ends on SIGINT or SIGTERM, or after d when d > 0.
func signalContext(d time.Duration) (context.Context, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	if d <= 0 {
		return ctx, stop
	}
	tctx, cancel := context.WithTimeout(ctx, d)
	return tctx, func() { cancel(); stop() }
}

// pump prints what a device reports until ctx ends: observations and, if
// waves, wave blocks to obsOut as JSON Lines; status changes to statusOut
// (JSON Lines when statusJSON, else a human line).
func pump(ctx context.Context, dev *devices.Device, obsOut io.Writer, waves bool, statusOut io.Writer, statusJSON bool) error {
	enc := json.NewEncoder(obsOut)
	senc := json.NewEncoder(statusOut)
	obs, wv, st := dev.Observations(), dev.Waves(), dev.Status()
	for {
		select {
		case <-ctx.Done():
			return nil
		case o, ok := <-obs:
			if !ok {
				return nil
			}
			if err := enc.Encode(o); err != nil {
				return err
			}
		case w, ok := <-wv:
			if !ok {
				return nil
			}
			if waves {
				if err := enc.Encode(waveLine{w}); err != nil {
					return err
				}
			}
		case s, ok := <-st:
			if !ok {
				return nil
			}
			var err error
			if statusJSON {
				err = senc.Encode(s)
			} else {
				err = printStatus(statusOut, s)
			}
			if err != nil {
				return err
			}
		}
	}
}

func printStatus(w io.Writer, s devices.StatusEvent) error {
	line := fmt.Sprintf("%s %s: %s", s.At.Format(time.TimeOnly), s.Device, s.State)
	if s.Hint != "" {
		line += " (" + s.Hint + ")"
	}
	if s.Err != "" {
		line += ": " + s.Err
	}
	_, err := fmt.Fprintln(w, line)
	return err
}

// runWatch wires `triagectl watch --port P --profile NAME [--for DURATION]`.
func runWatch(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("watch", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var df deviceFlags
	df.register(fs)
	waves := fs.Bool("waves", false, "also print waveform blocks")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: triagectl watch (--port P | --usb-serial N) --profile NAME [--config FILE] | --config FILE --device ID; [--id ID] [--for DURATION] [--waves]")
		fmt.Fprintln(stderr, "\nRuns the device session and prints JSON Lines: every observation, and every status")
		fmt.Fprintln(stderr, `change as {"status":"live",...}, until interrupted or for the given duration.`)
		fs.PrintDefaults()
	}
	pos, code := parseArgs(fs, args)
	if code >= 0 {
		return code
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "triagectl watch: unexpected argument %q\n", pos[0])
		return 2
	}
	dc, prof, err := df.resolve()
	if err != nil {
		fmt.Fprintf(stderr, "triagectl watch: %v\n", err)
		return 2
	}
	ctx, stop := signalContext(df.forDur)
	defer stop()
	dev, err := devices.Start(ctx, dc, devices.WithProfile(prof))
	if err != nil {
		fmt.Fprintf(stderr, "triagectl watch: %v\n", err)
		return 2
	}
	perr := pump(ctx, dev, stdout, *waves, stdout, true)
	_ = dev.Close()
	if perr != nil {
		fmt.Fprintf(stderr, "triagectl watch: %v\n", perr)
		return 1
	}
	return 0
}
