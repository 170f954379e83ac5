package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/legevakt/workstation/devices"
)

func init() {
	register(command{name: "ports", summary: "list serial ports with USB vendor/product id and serial number", run: runPorts})
}

// listPorts is replaced in tests.
var listPorts = devices.ListPorts

// runPorts wires `triagectl ports [--json]`.
func runPorts(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ports", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print one JSON object per port")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: triagectl ports [--json]")
		fmt.Fprintln(stderr, "\nLists serial ports. Put a USB adapter's serial number in the device configuration")
		fmt.Fprintln(stderr, "(usb_serial) so the device is found again when it comes back under a new name.")
		fmt.Fprintln(stderr, "Pseudo-terminals (simulators) are never listed; give their path directly.")
		fs.PrintDefaults()
	}
	pos, code := parseArgs(fs, args)
	if code >= 0 {
		return code
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "triagectl ports: unexpected argument %q\n", pos[0])
		return 2
	}
	ports, err := listPorts()
	if err != nil {
		fmt.Fprintf(stderr, "triagectl ports: %v\n", err)
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		for _, p := range ports {
			if err := enc.Encode(p); err != nil {
				return 1
			}
		}
		return 0
	}
	if len(ports) == 0 {
		fmt.Fprintln(stderr, "no serial ports found (is the USB adapter plugged in?)")
		return 0
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PORT\tUSB\tVID:PID\tSERIAL\tPRODUCT")
	for _, p := range ports {
		usb, id := "no", "-"
		if p.IsUSB {
			usb, id = "yes", p.VID+":"+p.PID
		}
		serial := p.SerialNumber
		if serial == "" {
			serial = "-"
		}
		product := p.Product
		if product == "" {
			product = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.Name, usb, id, serial, product)
	}
	return boolExit(tw.Flush() == nil)
}

func boolExit(ok bool) int {
	if ok {
		return 0
	}
	return 1
}
