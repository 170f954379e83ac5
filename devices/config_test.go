package devices

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTheDocumentedExampleConfigLoads(t *testing.T) {
	c, err := LoadConfig(filepath.Join("testdata", "devices.toml"))
	require.NoError(t, err)
	require.Len(t, c.Devices, 3)
	d, ok := c.Device("obs-1-monitor")
	require.True(t, ok)
	assert.Equal(t, "Observasjon 1", d.Location)
	assert.Equal(t, "FT4ABC12", d.USBSerial)
	p, err := c.ProfileFor(d)
	require.NoError(t, err)
	assert.Equal(t, "19200 8E1", p.LineSettings())
	assert.True(t, p.CTSCheck)

	fast, ok := c.Device("obs-2-monitor")
	require.True(t, ok)
	p, err = c.ProfileFor(fast)
	require.NoError(t, err)
	assert.Equal(t, "datex", p.Protocol, "a site profile inherits from its base")
	assert.Equal(t, 115200, p.Baud)
	assert.Equal(t, 20*time.Second, p.Silence)
}

func TestConfigMistakesAreNamed(t *testing.T) {
	tests := []struct {
		name, toml, want string
	}{
		{"a device without id", `[[device]]
port = "/dev/ttyUSB0"
profile = "masimo"`, "id is empty"},
		{"two devices with one id", `[[device]]
id = "a"
port = "/x"
profile = "masimo"
[[device]]
id = "a"
port = "/y"
profile = "masimo"`, `"a" is used twice`},
		{"a device with neither port nor usb serial", `[[device]]
id = "a"
profile = "masimo"`, "give port or usb_serial"},
		{"an unknown profile", `[[device]]
id = "a"
port = "/x"
profile = "drager"`, `unknown profile "drager"`},
		{"a misspelt key", `[[device]]
id = "a"
port = "/x"
profil = "masimo"`, `unknown key "device.profil"`},
		{"a site profile with a bad parity", `[[profile]]
name = "x"
base = "masimo"
parity = "Q"`, `parity "Q"`},
		{"a site profile with an impossible baud rate", `[[profile]]
name = "x"
base = "masimo"
baud = 3`, "baud 3, want 50..4000000"},
		{"a site profile with a bad silence", `[[profile]]
name = "x"
base = "masimo"
silence = "soon"`, `duration "soon"`},
		{"a site profile with an unknown protocol", `[[profile]]
name = "x"
protocol = "medibus"
baud = 9600
data_bits = 8
parity = "N"
stop_bits = 1
silence = "2s"`, `unknown protocol "medibus"`},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			_, err := ParseConfig([]byte(tt.toml))
			assert.ErrorContains(t, err, tt.want)
		})
	}
}

func TestAMissingConfigFileIsAnError(t *testing.T) {
	_, err := LoadConfig(filepath.Join(t.TempDir(), "none.toml"))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func TestEveryBuiltinProfileIsValidAndMatchesTheNotes(t *testing.T) {
	want := map[string]string{
		"datex":      "19200 8E1",
		"intellivue": "115200 8N1",
		"nonin":      "9600 8N1",
		"masimo":     "9600 8N1",
	}
	for _, p := range Profiles() {
		require.NoError(t, p.Validate(), p.Name)
		if w, ok := want[p.Name]; ok {
			assert.Equal(t, w, p.LineSettings(), p.Name)
		}
	}
	d, err := LookupProfile("datex")
	require.NoError(t, err)
	assert.True(t, d.CTSCheck, "the S/5 needs the CTS check before writing")
	_, err = LookupProfile("nope")
	assert.ErrorContains(t, err, "want one of")
}

func TestProfileModeCarriesTheLineSettings(t *testing.T) {
	p, err := LookupProfile("datex")
	require.NoError(t, err)
	m, err := p.Mode()
	require.NoError(t, err)
	assert.Equal(t, 19200, m.BaudRate)
	assert.Equal(t, 8, m.DataBits)
	assert.Nil(t, m.InitialStatusBits, "setting modem lines at open fails on a pty")
}

func TestResolvePortPrefersTheUSBSerialNumberAndFallsBackToThePort(t *testing.T) {
	list := func() ([]PortInfo, error) { return []PortInfo{{Name: "/dev/ttyUSB3", SerialNumber: "S1"}}, nil }
	p, err := ResolvePort(DeviceConfig{ID: "a", USBSerial: "S1", Port: "/dev/ttyUSB0"}, list)
	require.NoError(t, err)
	assert.Equal(t, "/dev/ttyUSB3", p)
	p, err = ResolvePort(DeviceConfig{ID: "a", USBSerial: "S2", Port: "/dev/ttyUSB0"}, list)
	require.NoError(t, err)
	assert.Equal(t, "/dev/ttyUSB0", p)
	_, err = ResolvePort(DeviceConfig{ID: "a", USBSerial: "S2"}, list)
	assert.ErrorContains(t, err, `no port with USB serial number "S2"`)
}

func TestListPortsDoesNotFailOnThisMachine(t *testing.T) {
	_, err := ListPorts()
	assert.NoError(t, err)
}

func FuzzParseConfig(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("testdata", "devices.toml")); err == nil {
		f.Add(b)
	}
	f.Add([]byte("[[device]]\nid = \"a\"\nport = \"/x\"\nprofile = \"masimo\"\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseConfig(b)
		if err != nil {
			// Most inputs end here: the refusal must still say something.
			if !strings.HasPrefix(err.Error(), "devices") || len(err.Error()) < 12 {
				t.Fatalf("a refusal that says little: %q", err)
			}
			return
		}
		for _, d := range c.Devices {
			if _, err := c.ProfileFor(d); err != nil {
				t.Fatalf("a validated config has a device whose profile does not resolve: %v", err)
			}
		}
	})
}

func TestADeviceZoneMustBeAKnownZone(t *testing.T) {
	c, err := ParseConfig([]byte("[[profile]]\nname = \"rad8-oslo\"\nbase = \"masimo\"\ndevice_zone = \"Europe/Oslo\"\n"))
	require.NoError(t, err)
	p, err := c.Profiles[0].resolve()
	require.NoError(t, err)
	assert.Equal(t, "Europe/Oslo", p.DeviceZone)
	_, err = ParseConfig([]byte("[[profile]]\nname = \"x\"\nbase = \"masimo\"\ndevice_zone = \"Mars/Olympus\"\n"))
	assert.ErrorContains(t, err, `device_zone "Mars/Olympus"`)
}
