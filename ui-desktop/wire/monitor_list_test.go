package wire

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/devices"
	"github.com/legevakt/workstation/ui-desktop/desk"
)

// docs/devices.md configures a monitor by usb_serial or by a
// /dev/serial/by-id link; the enumerator reports the kernel name
// (/dev/ttyUSB0). The configured monitor must not come back a second time
// as a bare port that "has no device profile".
func TestAConfiguredPortIsNotOfferedAgainAsABarePort(t *testing.T) {
	dir := t.TempDir()
	tty := filepath.Join(dir, "ttyUSB1")
	require.NoError(t, os.WriteFile(tty, nil, 0o600))
	byID := filepath.Join(dir, "usb-FTDI_FT232R_USB_UART_B20-if00-port0")
	require.NoError(t, os.Symlink(tty, byID))
	m := &DeviceMonitors{
		Config: devices.Config{Devices: []devices.DeviceConfig{
			{ID: "obs-1", USBSerial: "A10KZ9", Profile: "datex"},
			{ID: "obs-2", Port: byID, Profile: "intellivue"},
		}},
		ListPorts: func() ([]devices.PortInfo, error) {
			return []devices.PortInfo{
				{Name: "/dev/ttyUSB0", IsUSB: true, SerialNumber: "A10KZ9"},
				{Name: tty, IsUSB: true, SerialNumber: "B20"},
			}, nil
		},
	}
	list, err := m.List(context.Background())
	require.NoError(t, err)
	for _, c := range list {
		assert.NotEqual(t, desk.MonitorPort, c.Kind, "configured monitor offered again as bare port %s", c.Path)
	}
}
