package devices

import (
	"errors"
	"io/fs"

	"github.com/legevakt/workstation/triage/ids"
	"go.bug.st/serial"
)

// FaultKind says what kind of fault stopped a device, so that callers
// (and the status hints) tell faults apart by type, never by message text.
type FaultKind int

// The kinds of device fault.
const (
	FaultUnknown        FaultKind = iota // not classified: check the cable and the port name
	FaultAdapterMissing                  // no port with the configured USB serial number is plugged in
	FaultPortNotFound                    // the configured port does not exist
	FaultPortBusy                        // another program has the port open
	FaultPermission                      // the user may not open the port
	FaultLineSettings                    // the port refused the profile's line settings
)

// String names the kind (for logs and tests).
func (k FaultKind) String() string {
	switch k {
	case FaultAdapterMissing:
		return "adapter_missing"
	case FaultPortNotFound:
		return "port_not_found"
	case FaultPortBusy:
		return "port_busy"
	case FaultPermission:
		return "permission"
	case FaultLineSettings:
		return "line_settings"
	}
	return "unknown"
}

// Fault is a device error of a known kind for device Device.
type Fault struct {
	Kind   FaultKind
	Device ids.Device
	Err    error // the underlying error, with its message
}

// Error is the underlying error's message.
func (f *Fault) Error() string { return f.Err.Error() }

// Unwrap gives the underlying error.
func (f *Fault) Unwrap() error { return f.Err }

// KindOf classifies err: a *Fault's kind, else the serial library's port
// error codes and a missing file.
func KindOf(err error) FaultKind {
	if err == nil {
		return FaultUnknown
	}
	var f *Fault
	if errors.As(err, &f) {
		return f.Kind
	}
	var pe *serial.PortError
	if errors.As(err, &pe) {
		switch pe.Code() {
		case serial.PortNotFound:
			return FaultPortNotFound
		case serial.PortBusy:
			return FaultPortBusy
		case serial.PermissionDenied:
			return FaultPermission
		case serial.InvalidSpeed, serial.InvalidDataBits, serial.InvalidParity, serial.InvalidStopBits:
			return FaultLineSettings
		}
	}
	if errors.Is(err, ErrPortInUse) {
		return FaultPortBusy
	}
	if errors.Is(err, fs.ErrNotExist) {
		return FaultPortNotFound
	}
	return FaultUnknown
}
