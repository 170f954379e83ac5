package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/legevakt/workstation/devices"
)

func init() {
	register(command{name: "identify", summary: "name the protocol of a recording or a port's bytes, with the evidence", run: runIdentify})
}

// runIdentify wires `triagectl identify FILE` and `triagectl identify
// --port PATH [--profile NAME] [--for DURATION]`. Exit 0 when a protocol
// fits, 1 when none does (or nothing came), 2 on usage.
func runIdentify(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("identify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	port := fs.String("port", "", "listen on this serial port or pseudo-terminal `path` instead of reading a file")
	profile := fs.String("profile", "", "with --port: the line settings of this profile `NAME` (default: 9600 8N1)")
	forDur := fs.Duration("for", 5*time.Second, "with --port: listen this `long` (1s..10m)")
	asJSON := fs.Bool("json", false, "print the scores as JSON Lines")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: triagectl identify FILE | --port PATH [--profile NAME] [--for DURATION]; [--json]")
		fmt.Fprintln(stderr, "\nDecodes the bytes with every protocol and scores each: the share of the bytes in well-formed")
		fmt.Fprintln(stderr, "frames, checksums that hold, a run of good records, errors. Names the likely protocol.")
		fmt.Fprintln(stderr, "A device that only sends when asked (S/5, IntelliVue) stays silent here: use watch --profile.")
		fs.PrintDefaults()
	}
	pos, code := parseArgs(fs, args)
	if code >= 0 {
		return code
	}
	// Checked whether or not --port is given: a wrong value is named, not
	// silently unused.
	if *forDur < time.Second || *forDur > 10*time.Minute {
		fmt.Fprintf(stderr, "triagectl identify: --for %v: want 1s..10m\n", *forDur)
		return 2
	}
	var data []byte
	var source string
	switch {
	case *port != "" && len(pos) > 0:
		fmt.Fprintln(stderr, "triagectl identify: give FILE or --port, not both")
		return 2
	case *port != "":
		prof := devices.Profile{Name: "identify", Protocol: "ecgascii", Baud: 9600, DataBits: 8, Parity: "N", StopBits: 1, Silence: time.Second}
		if *profile != "" {
			p, err := devices.LookupProfile(*profile)
			if err != nil {
				fmt.Fprintf(stderr, "triagectl identify: %v\n", err)
				return 2
			}
			prof = p
		}
		b, err := devices.Listen(*port, prof, *forDur, devices.IdentifyLimit)
		if err != nil {
			fmt.Fprintf(stderr, "triagectl identify: %s: %v\n", *port, err)
			return 1
		}
		data, source = b, fmt.Sprintf("%s (%s, %s)", *port, prof.LineSettings(), *forDur)
	case len(pos) == 1:
		f, code := openInput("identify", pos[0], stderr)
		if f == nil {
			return code
		}
		defer f.Close()
		b, err := devices.DeviceBytes(f, devices.IdentifyLimit)
		if err != nil {
			fmt.Fprintf(stderr, "triagectl identify: %s: %v\n", pos[0], err)
			return 1
		}
		data, source = b, pos[0]
	default:
		fmt.Fprintln(stderr, "triagectl identify: give one FILE, or --port PATH")
		return 2
	}
	if len(data) == 0 {
		fmt.Fprintf(stderr, "triagectl identify: %s: no bytes from the device (a device that only sends when asked, such as an S/5 or IntelliVue, needs watch --profile)\n", source)
		return 1
	}
	scores := devices.Identify(data)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		for _, s := range scores {
			if err := enc.Encode(s); err != nil {
				return 1
			}
		}
	} else {
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "PROTOCOL\tSCORE\tEVIDENCE")
		for _, s := range scores {
			fmt.Fprintf(tw, "%s\t%.3f\t%s\n", s.Protocol, s.Score, s.Evidence)
		}
		if err := tw.Flush(); err != nil {
			return 1
		}
	}
	best, ok := devices.Likely(scores)
	if !ok {
		fmt.Fprintf(stderr, "%s: %d bytes fit no protocol clearly (best %s, score %.3f; second %s, %.3f): another device, or wrong line settings?\n",
			source, len(data), scores[0].Protocol, scores[0].Score, scores[1].Protocol, scores[1].Score)
		return 1
	}
	fmt.Fprintf(stderr, "%s: %d bytes look like %s (%s)\n", source, len(data), best.Protocol, best.Evidence)
	return 0
}
