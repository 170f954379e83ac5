package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/legevakt/workstation/devices"
	"github.com/legevakt/workstation/triage/ids"
)

func init() {
	register(command{name: "watch", summary: "run a live device session and print observations and status as JSON Lines", run: runWatch})
}

// deviceFlags are the flags watch and record share.
type deviceFlags struct {
	port, usbSerial, profile, config, id string
	devices                              listFlag
	forDur                               time.Duration
}

func (d *deviceFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&d.port, "port", "", "serial port or pseudo-terminal `path`")
	fs.StringVar(&d.usbSerial, "usb-serial", "", "find the port by the USB adapter's serial `number` (triagectl ports)")
	fs.StringVar(&d.profile, "profile", "", "device profile `NAME` (built in, or from --config)")
	fs.StringVar(&d.config, "config", "", "device configuration `file` with devices and site profiles (docs/devices.md)")
	fs.StringVar(&d.id, "id", "", "device `id` for the source field (default: the profile name)")
	fs.Var(&d.devices, "device", "take port, USB serial and profile of the configured device with this `id` (needs --config; repeatable or comma-separated)")
	fs.DurationVar(&d.forDur, "for", 0, "stop after this `duration`, up to 720h (default: until interrupted)")
}

// maxFor is the longest --for: a month of watching or recording.
const maxFor = 720 * time.Hour

// target is one device to run: its configuration and profile.
type target struct {
	dc   devices.DeviceConfig
	prof devices.Profile
}

// name says which device a message is about: id, location and port.
func (t target) name() string {
	s := "device " + t.dc.ID.String()
	if t.dc.Location != "" {
		s += " (" + t.dc.Location + ")"
	}
	switch {
	case t.dc.Port != "":
		s += " on " + t.dc.Port
	case t.dc.USBSerial != "":
		s += " on the USB adapter " + t.dc.USBSerial
	}
	return s
}

// check refuses flag values that make no sense, naming the flag and its
// range; called first, before the other arguments are looked at.
func (d *deviceFlags) check() error {
	if d.forDur < 0 || d.forDur > maxFor {
		return fmt.Errorf("--for %v: want a duration from 1s to %v (leave it out to run until interrupted)", d.forDur, maxFor)
	}
	return nil
}

// resolve returns the devices the flags name: one given by --port or
// --usb-serial and --profile, or those of --config (all of them, or those
// named by --device).
func (d *deviceFlags) resolve() ([]target, error) {
	if err := d.check(); err != nil {
		return nil, err
	}
	var named []ids.Device
	for _, v := range d.devices {
		for _, id := range strings.Split(v, ",") {
			if id = strings.TrimSpace(id); id != "" {
				named = append(named, ids.Device(id))
			}
		}
	}
	if d.config != "" && d.profile == "" && d.usbSerial == "" && (d.port == "" || len(named) > 0) {
		cfg, err := devices.LoadConfig(d.config)
		if err != nil {
			return nil, err
		}
		var dcs []devices.DeviceConfig
		if len(named) == 0 {
			dcs = cfg.Devices
			if len(dcs) == 0 {
				return nil, fmt.Errorf("%s configures no [[device]]", d.config)
			}
		}
		for _, id := range named {
			dc, ok := cfg.Device(id)
			if !ok {
				return nil, fmt.Errorf("no device %q in %s", id, d.config)
			}
			dcs = append(dcs, dc)
		}
		if d.port != "" { // an explicit port wins, e.g. a simulator standing in
			if len(dcs) != 1 {
				return nil, fmt.Errorf("--port stands in for one device: name it with --device")
			}
			dcs[0].Port, dcs[0].USBSerial = d.port, ""
		}
		var out []target
		for _, dc := range dcs {
			prof, err := cfg.ProfileFor(dc)
			if err != nil {
				return nil, err
			}
			out = append(out, target{dc, prof})
		}
		return out, nil
	}
	if len(named) > 0 {
		return nil, fmt.Errorf("--device needs --config")
	}
	if d.port == "" && d.usbSerial == "" {
		return nil, fmt.Errorf("give --port, --usb-serial or --config (with --device to pick devices)")
	}
	if d.profile == "" {
		return nil, fmt.Errorf("give --profile")
	}
	dc := devices.DeviceConfig{ID: ids.Device(d.id), Port: d.port, USBSerial: d.usbSerial, Profile: d.profile}
	if dc.ID == "" {
		dc.ID = ids.Device(d.profile)
	}
	var cfg devices.Config
	if d.config != "" {
		c, err := devices.LoadConfig(d.config)
		if err != nil {
			return nil, err
		}
		cfg = c
	}
	prof, err := cfg.ProfileFor(dc)
	if err != nil {
		return nil, err
	}
	return []target{{dc, prof}}, nil
}

// portProblem says why a target's port cannot be used now: it does not
// exist, or another program has it open. A device found by USB serial
// number is looked up at every open, so it is not checked here.
func portProblem(t target) error {
	if t.dc.USBSerial != "" || t.dc.Port == "" {
		return nil
	}
	err := devices.PortFree(t.dc.Port)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s: the port does not exist: check that the USB adapter is plugged in and the port name (triagectl ports lists them)", t.name())
	case errors.Is(err, devices.ErrPortInUse):
		return fmt.Errorf("%s: %v; close it first", t.name(), devices.ErrPortInUse)
	}
	return fmt.Errorf("%s: %v", t.name(), err)
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

// lockedWriter serialises the lines of several devices' pumps.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// pump prints what a device reports until ctx ends: observations, events
// and, if waves, wave blocks to obsOut as JSON Lines; status changes to
// statusOut (JSON Lines when statusJSON, else a human line).
func pump(ctx context.Context, dev *devices.Device, obsOut io.Writer, waves bool, statusOut io.Writer, statusJSON bool) error {
	enc := json.NewEncoder(obsOut)
	senc := json.NewEncoder(statusOut)
	obs, wv, ev, st := dev.Observations(), dev.Waves(), dev.Events(), dev.Status()
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
		case e, ok := <-ev:
			if !ok {
				return nil
			}
			if err := enc.Encode(eventLine{e}); err != nil {
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

// printStatus writes a status change as a line that names the device, its
// location and port: "14:02:11 bed-1 (Obs 2) on /dev/ttyUSB0: live".
func printStatus(w io.Writer, s devices.StatusEvent) error {
	line := fmt.Sprintf("%s %s", s.At.Format(time.TimeOnly), s.Device)
	if s.Location != "" {
		line += " (" + s.Location + ")"
	}
	if s.Port != "" {
		line += " on " + s.Port
	}
	line += ": " + string(s.State)
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
		fmt.Fprintln(stderr, "usage: triagectl watch (--port P | --usb-serial N) --profile NAME [--config FILE] | --config FILE [--device ID ...]; [--id ID] [--for DURATION] [--waves]")
		fmt.Fprintln(stderr, "\nRuns the device sessions (with --config alone: every device of the file) and prints JSON Lines:")
		fmt.Fprintln(stderr, `every observation, every label or alarm text as {"event":...}, and every status change as`)
		fmt.Fprintln(stderr, `{"status":"live","device":...,"location":...,"port":...}, until interrupted or for the given duration.`)
		fs.PrintDefaults()
	}
	pos, code := parseArgs(fs, args)
	if code >= 0 {
		return code
	}
	if err := df.check(); err != nil {
		fmt.Fprintf(stderr, "triagectl watch: %v\n", err)
		return 2
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "triagectl watch: unexpected argument %q\n", pos[0])
		return 2
	}
	targets, err := df.resolve()
	if err != nil {
		fmt.Fprintf(stderr, "triagectl watch: %v\n", err)
		return 2
	}
	// A port that is missing or taken is refused at once, naming the
	// device: with one device watch ends (exit 1); with several the others
	// are watched.
	var run []target
	for _, t := range targets {
		if err := portProblem(t); err != nil {
			fmt.Fprintf(stderr, "triagectl watch: %v\n", err)
			continue
		}
		run = append(run, t)
	}
	if len(run) == 0 {
		return 1
	}
	ctx, stop := signalContext(df.forDur)
	defer stop()
	var mu sync.Mutex
	out := lockedWriter{&mu, stdout}
	var wg sync.WaitGroup
	errs := make(chan error, len(run))
	var devs []*devices.Device
	for _, t := range run {
		dev, err := devices.Start(ctx, t.dc, devices.WithProfile(t.prof))
		if err != nil {
			fmt.Fprintf(stderr, "triagectl watch: %s: %v\n", t.name(), err)
			for _, d := range devs {
				_ = d.Close()
			}
			return 2
		}
		devs = append(devs, dev)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := pump(ctx, dev, out, *waves, out, true); err != nil {
				errs <- fmt.Errorf("%s: %w", t.name(), err)
				stop()
			}
		}()
	}
	wg.Wait()
	for _, d := range devs {
		_ = d.Close()
	}
	close(errs)
	status := 0
	for err := range errs {
		fmt.Fprintf(stderr, "triagectl watch: %v\n", err)
		status = 1
	}
	if len(run) < len(targets) {
		status = 1 // a device could not be watched
	}
	return status
}
