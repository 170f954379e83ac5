package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/legevakt/workstation/devices"
	"github.com/legevakt/workstation/devices/scenario"
)

func init() {
	register(command{name: "simulate", summary: "simulate a device on a pseudo-terminal playing a scripted patient", run: runSimulate})
}

// runSimulate wires `triagectl simulate --profile NAME [--scenario FILE]`.
func runSimulate(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	profile := fs.String("profile", "", "device profile `NAME` to simulate")
	scen := fs.String("scenario", "stable-adult", "scenario `FILE` (TOML) or built-in name: "+strings.Join(scenario.Names(), ", "))
	link := fs.String("link", "", "publish the pseudo-terminal at this `path` (default: a new temporary path)")
	forDur := fs.Duration("for", 0, "stop after this `duration` (default: until interrupted)")
	fault := fs.String("fault", "", "inject line faults: `noise=RATE,drop=RATE,checksum=RATE,baud=N,stall=DURATION` (any subset; rates 0..1 per byte or frame; seed=N for a fixed sequence)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: triagectl simulate --profile NAME [--scenario FILE] [--link PATH] [--for DURATION] [--fault LIST]")
		fmt.Fprintln(stderr, "\nCreates a pseudo-terminal, prints its path as the first line of stdout, and plays the")
		fmt.Fprintln(stderr, "scenario's patient as real protocol bytes, answering the host's requests, until interrupted.")
		fs.PrintDefaults()
	}
	pos, code := parseArgs(fs, args)
	if code >= 0 {
		return code
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "triagectl simulate: unexpected argument %q\n", pos[0])
		return 2
	}
	if *forDur < 0 || *forDur > maxFor {
		fmt.Fprintf(stderr, "triagectl simulate: --for %v: want a duration from 1s to %v (leave it out to run until interrupted)\n", *forDur, maxFor)
		return 2
	}
	if *profile == "" {
		fmt.Fprintln(stderr, "triagectl simulate: give --profile NAME")
		return 2
	}
	var sc *scenario.Scenario
	var err error
	if _, statErr := os.Stat(*scen); statErr == nil || strings.ContainsAny(*scen, "/.") {
		sc, err = scenario.Load(*scen)
	} else {
		sc, err = scenario.Builtin(*scen)
	}
	if err != nil {
		fmt.Fprintf(stderr, "triagectl simulate: %v\n", err)
		return 2
	}
	ctx, stop := signalContext(*forDur)
	defer stop()
	var opts []devices.Option
	if *link != "" {
		opts = append(opts, devices.WithLinkPath(*link))
	}
	if *fault != "" {
		f, err := devices.ParseFaults(*fault)
		if err != nil {
			fmt.Fprintf(stderr, "triagectl simulate: %v\n", err)
			return 2
		}
		opts = append(opts, devices.WithFaults(f))
	}
	sim, err := devices.StartSimulator(ctx, *profile, sc, opts...)
	if err != nil {
		fmt.Fprintf(stderr, "triagectl simulate: %v\n", err)
		return 2
	}
	fmt.Fprintln(stdout, sim.Path())
	faults := ""
	if *fault != "" {
		f, _ := devices.ParseFaults(*fault)
		faults = " with faults " + f.String()
	}
	fmt.Fprintf(stderr, "simulating %s with scenario %s%s on %s (%s); stop with Ctrl-C\n", *profile, sc.Name, faults, sim.Path(), sim.TTY())
	select {
	case <-ctx.Done():
	case <-sim.Done():
	}
	_ = sim.Close()
	st := sim.Stats()
	fmt.Fprintf(stderr, "sent %d bytes, received %d, dropped %d (no reader), %d cable pulls, %d reboots\n",
		st.BytesOut, st.BytesIn, st.Dropped, st.Replugs, st.Reboots)
	if *fault != "" {
		fmt.Fprintf(stderr, "faults: %d bytes with a flipped bit, %d bytes lost, %d frames corrupted, %d stalls\n",
			st.Faults.Flipped, st.Faults.Dropped, st.Faults.Corrupted, st.Faults.Stalls)
	}
	if err := sim.Err(); err != nil {
		fmt.Fprintf(stderr, "triagectl simulate: %v\n", err)
		return 1
	}
	return 0
}
