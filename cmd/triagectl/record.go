package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/legevakt/workstation/devices"
	"github.com/legevakt/workstation/protocols/capture"
)

func init() {
	register(command{name: "record", summary: "run a device session and record both directions to a capture file", run: runRecord})
}

// runRecord wires `triagectl record --port P --profile NAME -o FILE`.
func runRecord(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("record", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var df deviceFlags
	df.register(fs)
	out := fs.String("o", "", "capture `file` to write (docs/capture-format.md); an existing file is refused without --force")
	force := fs.Bool("force", false, "overwrite an existing -o file")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: triagectl record --port P --profile NAME -o FILE [--force] [--for DURATION]")
		fmt.Fprintln(stderr, "\nRuns the device session (requests, polls, keep-alives included) and records what goes")
		fmt.Fprintln(stderr, "over the line in both directions with host time stamps. Status goes to stderr.")
		fs.PrintDefaults()
	}
	pos, code := parseArgs(fs, args)
	if code >= 0 {
		return code
	}
	if err := df.check(); err != nil {
		fmt.Fprintf(stderr, "triagectl record: %v\n", err)
		return 2
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "triagectl record: unexpected argument %q\n", pos[0])
		return 2
	}
	if *out == "" {
		fmt.Fprintln(stderr, "triagectl record: give -o FILE")
		return 2
	}
	targets, err := df.resolve()
	if err != nil {
		fmt.Fprintf(stderr, "triagectl record: %v\n", err)
		return 2
	}
	if len(targets) != 1 {
		fmt.Fprintf(stderr, "triagectl record: %s has %d devices: name the one to record with --device\n", df.config, len(targets))
		return 2
	}
	t := targets[0]
	dc, prof := t.dc, t.prof
	if !*force {
		if _, err := os.Lstat(*out); err == nil {
			fmt.Fprintf(stderr, "triagectl record: %s exists; give another -o FILE, or --force to overwrite it\n", *out)
			return 2
		}
	}
	// A port that is missing or taken is refused before the file is
	// touched, so a failed start never costs an earlier recording.
	if err := portProblem(t); err != nil {
		fmt.Fprintf(stderr, "triagectl record: %v\n", err)
		return 1
	}
	// O_EXCL: a typo in -o must never truncate an earlier recording, and
	// the check and the creation are one step, so no race between them.
	mode := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if *force {
		mode = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	// A capture of a bedside session is patient data (vitals, and the PID
	// or demographics some monitors send): owner-only, as the database.
	f, err := os.OpenFile(*out, mode, 0o600)
	if errors.Is(err, os.ErrExist) {
		fmt.Fprintf(stderr, "triagectl record: %s exists; give another -o FILE, or --force to overwrite it\n", *out)
		return 2
	}
	if err == nil {
		// --force keeps an existing file's mode; a device such as
		// /dev/stdout is left as it is.
		if fi, serr := f.Stat(); serr == nil && fi.Mode().IsRegular() && fi.Mode().Perm() != 0o600 {
			if err = f.Chmod(0o600); err != nil {
				f.Close()
			}
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "triagectl record: %v\n", err)
		return 2
	}
	// A failed recording leaves no file behind: an empty capture would be
	// taken for a recording of a silent device.
	discard := func() {
		f.Close()
		_ = os.Remove(*out)
	}
	w, err := capture.NewWriter(f, capture.Header{Protocol: prof.Protocol, Baud: prof.Baud, DataBits: prof.DataBits,
		Parity: prof.Parity, StopBits: prof.StopBits, Start: time.Now().UTC(), DeviceID: string(dc.ID), Note: "profile " + prof.Name})
	if err != nil {
		discard()
		fmt.Fprintf(stderr, "triagectl record: %s: %v\n", t.name(), err)
		return 1
	}
	ctx, stop := signalContext(df.forDur)
	defer stop()
	dev, err := devices.Start(ctx, dc, devices.WithProfile(prof), devices.WithRecorder(w))
	if err != nil {
		discard()
		fmt.Fprintf(stderr, "triagectl record: %s: %v\n", t.name(), err)
		return 2
	}
	perr := pump(ctx, dev, io.Discard, false, stderr, false)
	_ = dev.Close()
	st := dev.Stats()
	ferr := w.Flush()
	if cerr := f.Close(); ferr == nil {
		ferr = cerr
	}
	if st.BytesIn == 0 {
		// An empty recording is not a success: the port never opened or
		// the device stayed silent (the status lines above say which).
		_ = os.Remove(*out)
		fmt.Fprintf(stderr, "triagectl record: %s: nothing came from the device, so %s was removed; check the port, the cable and the profile's line settings (%s)\n",
			t.name(), *out, prof.LineSettings())
		return 1
	}
	fmt.Fprintf(stderr, "recorded %d bytes from %s and %d to it into %s\n", st.BytesIn, t.name(), st.BytesOut, *out)
	if perr != nil || ferr != nil || st.RecordError != "" {
		fmt.Fprintf(stderr, "triagectl record: %s: %s\n", t.name(), strings.Join(nonEmpty(errText(perr), errText(ferr), st.RecordError), "; "))
		return 1
	}
	return 0
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
