package devices

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"go.bug.st/serial/enumerator"
)

// PortInfo describes one serial port the system knows. Pseudo-terminals
// are never listed (the kernel does not enumerate them); give their path
// explicitly.
type PortInfo struct {
	Name         string `json:"name"`                    // device path, e.g. /dev/ttyUSB0
	IsUSB        bool   `json:"usb"`                     // behind a USB adapter
	VID          string `json:"vid,omitempty"`           // USB vendor id, hex
	PID          string `json:"pid,omitempty"`           // USB product id, hex
	SerialNumber string `json:"serial_number,omitempty"` // USB serial number: stable across replugs
	Product      string `json:"product,omitempty"`       // USB product string
}

// ListPorts enumerates the serial ports with their USB identity (read from
// sysfs on Linux; pure Go on Linux and Windows).
func ListPorts() ([]PortInfo, error) {
	list, err := enumerator.GetDetailedPortsList()
	if err != nil {
		return nil, fmt.Errorf("devices: listing serial ports: %w", err)
	}
	out := make([]PortInfo, 0, len(list))
	for _, p := range list {
		out = append(out, PortInfo{Name: p.Name, IsUSB: p.IsUSB, VID: strings.ToLower(p.VID), PID: strings.ToLower(p.PID),
			SerialNumber: p.SerialNumber, Product: p.Product})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// ResolvePort finds the path to open for d: by USB serial number when one
// is configured and present, else the configured port. The serial number
// wins because device names change when an adapter is replugged.
func ResolvePort(d DeviceConfig, list func() ([]PortInfo, error)) (string, error) {
	if d.USBSerial != "" && list != nil {
		ports, err := list()
		if err == nil {
			for _, p := range ports {
				if p.SerialNumber == d.USBSerial {
					return p.Name, nil
				}
			}
		}
		if d.Port == "" {
			if err != nil {
				return "", fmt.Errorf("devices: %s: looking for USB serial %q: %w", d.ID, d.USBSerial, err)
			}
			return "", &Fault{Kind: FaultAdapterMissing, Device: d.ID,
				Err: fmt.Errorf("devices: %s: no port with USB serial number %q is plugged in", d.ID, d.USBSerial)}
		}
	}
	if d.Port == "" {
		return "", fmt.Errorf("devices: %s: no port and no usb_serial configured", d.ID)
	}
	return d.Port, nil
}

// PortFree checks, without opening it for reading, that the port at path
// exists and is not open in another program of this project: nil, an
// error wrapping fs.ErrNotExist, or one wrapping ErrPortInUse.
func PortFree(path string) error {
	if _, err := os.Stat(path); err != nil {
		return err
	}
	lock, err := lockPort(path)
	if err != nil {
		return err
	}
	if lock != nil {
		lock.Close()
	}
	return nil
}
