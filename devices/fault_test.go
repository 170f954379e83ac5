package devices

import (
	"errors"
	"fmt"
	"testing"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.bug.st/serial"
)

func TestDeviceFaultsAreToldApartByKindNotByText(t *testing.T) {
	_, usbErr := ResolvePort(DeviceConfig{ID: "m", USBSerial: "FT1"}, func() ([]PortInfo, error) { return nil, nil })
	require.Error(t, usbErr)
	var f *Fault
	require.ErrorAs(t, usbErr, &f)
	assert.Equal(t, FaultAdapterMissing, f.Kind)
	assert.Equal(t, ids.Device("m"), f.Device)
	assert.Equal(t, FaultAdapterMissing, KindOf(fmt.Errorf("open: %w", usbErr)), "wrapped, still the same kind")

	_, notFound := OpenSerial("/dev/does-not-exist-triage", fakeProfile)
	assert.Equal(t, FaultPortNotFound, KindOf(notFound))
	// The serial library's codes map to kinds (its zero code is PortBusy;
	// the others cannot be built outside the library).
	assert.Equal(t, FaultPortBusy, KindOf(fmt.Errorf("open: %w", &serial.PortError{})))
	// A message that merely mentions a USB serial number is not the fault.
	assert.Equal(t, FaultUnknown, KindOf(errors.New("no port with USB serial number \"X\" is plugged in")))
	assert.Contains(t, openHint(DeviceConfig{USBSerial: "FT1"}, errors.New("USB serial number")), "check the cable")
	assert.Equal(t, FaultUnknown, KindOf(nil))
	assert.Equal(t, "adapter_missing", FaultAdapterMissing.String())
}
