package devices

import (
	"errors"
	"fmt"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/legevakt/workstation/capped"
	"github.com/legevakt/workstation/triage/ids"
)

// Config is the workstation's device configuration file (TOML, documented
// in docs/devices.md): the devices at each bed or room and, optionally,
// site-specific profiles.
type Config struct {
	Devices []DeviceConfig `toml:"device"`
	// Profiles adds or overrides profiles for this site, e.g. a monitor
	// whose interface was set to another speed.
	Profiles []ProfileConfig `toml:"profile"`
}

// DeviceConfig is one device: where it stands, how it is found, and how
// to talk to it.
type DeviceConfig struct {
	// ID names the device; it becomes the source of its observations.
	ID ids.Device `toml:"id"`
	// Location is the bed, room or trolley, as the nurses call it.
	Location string `toml:"location"`
	// Port is the device path (e.g. /dev/ttyUSB0 or /dev/serial/by-id/...).
	Port string `toml:"port"`
	// USBSerial is the USB adapter's serial number. When set, the port is
	// looked up by it at every (re)open, so a device that comes back under a
	// new name after a replug is found again; Port is the fallback.
	USBSerial string `toml:"usb_serial"`
	// Profile names a built-in profile or one from the file's [[profile]] tables.
	Profile string `toml:"profile"`
	// Names is the device's name on the screens, per language code ("nb",
	// "en"), e.g. names = { nb = "Monitor ved seng 1", en = "Monitor at
	// bed 1" }. A screen shows the name in its own language and never the
	// id, which is the observations' source, not a word for the nurse.
	Names map[string]string `toml:"names"`
}

// ProfileConfig is a profile as written in the configuration file; the
// silence watchdog is a duration string such as "15s".
type ProfileConfig struct {
	Name        string    `toml:"name"`
	Base        string    `toml:"base"` // a built-in profile to start from (optional)
	Protocol    string    `toml:"protocol"`
	Baud        *int      `toml:"baud"`
	DataBits    *int      `toml:"data_bits"`
	Parity      string    `toml:"parity"`
	StopBits    *int      `toml:"stop_bits"`
	CTSCheck    *bool     `toml:"cts_check"`
	Silence     *Duration `toml:"silence"`
	SampleRate  float64   `toml:"sample_rate"`
	DeviceZone  string    `toml:"device_zone"`
	MaxAge      *Duration `toml:"max_age"`
	Description string    `toml:"description"`
}

// Duration reads "15s", "2m" and the like from TOML.
type Duration struct{ time.Duration }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("duration %q: want a Go duration such as 15s or 2m", b)
	}
	d.Duration = v
	return nil
}

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// MaxConfigBytes bounds a device configuration file: a clinic's file is
// a few kilobytes; a larger one (or a pipe that never ends) is refused
// before it is parsed.
const MaxConfigBytes = 1 << 20

// LoadConfig reads and validates the configuration file at path.
func LoadConfig(path string) (Config, error) {
	b, err := capped.ReadFile(path, MaxConfigBytes)
	if err != nil {
		return Config{}, fmt.Errorf("devices: reading config: %w", err)
	}
	return ParseConfig(b)
}

// ParseConfig parses and validates a configuration file's contents.
func ParseConfig(b []byte) (Config, error) {
	var c Config
	md, err := toml.Decode(string(b), &c)
	if err != nil {
		return Config{}, fmt.Errorf("devices: config: %w", err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return Config{}, fmt.Errorf("devices: config: unknown key %q (see docs/devices.md for the accepted keys)", und[0].String())
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// Validate checks the file as a whole: unique ids, a way to find each
// port, and profiles that exist and are valid.
func (c Config) Validate() error {
	seen := map[string]bool{}
	for i, pc := range c.Profiles {
		p, err := pc.resolve()
		if err != nil {
			return fmt.Errorf("devices: config [[profile]] %d: %w", i+1, err)
		}
		if seen[p.Name] {
			return fmt.Errorf("devices: config: profile %q is defined twice", p.Name)
		}
		seen[p.Name] = true
	}
	used := map[ids.Device]bool{}
	for i, d := range c.Devices {
		if d.ID == "" {
			return fmt.Errorf("devices: config [[device]] %d: id is empty", i+1)
		}
		if used[d.ID] {
			return fmt.Errorf("devices: config: device id %q is used twice", d.ID)
		}
		used[d.ID] = true
		for lang, name := range d.Names {
			if lang != "nb" && lang != "en" {
				return fmt.Errorf("devices: config device %q: names: language %q, want nb or en", d.ID, lang)
			}
			if name == "" || len(name) > 60 {
				return fmt.Errorf("devices: config device %q: names.%s: %d characters, want 1-60", d.ID, lang, len(name))
			}
		}
		if d.Port == "" && d.USBSerial == "" {
			return fmt.Errorf("devices: config device %q: give port or usb_serial", d.ID)
		}
		if _, err := c.ProfileFor(d); err != nil {
			return fmt.Errorf("devices: config device %q: %w", d.ID, err)
		}
	}
	return nil
}

// ProfileFor returns the profile a device uses: one from the file's
// [[profile]] tables first, else a built-in one.
func (c Config) ProfileFor(d DeviceConfig) (Profile, error) {
	if d.Profile == "" {
		return Profile{}, errors.New("profile is empty")
	}
	for _, pc := range c.Profiles {
		if pc.Name == d.Profile {
			return pc.resolve()
		}
	}
	return LookupProfile(d.Profile)
}

// Device finds a configured device by id.
func (c Config) Device(id ids.Device) (DeviceConfig, bool) {
	for _, d := range c.Devices {
		if d.ID == id {
			return d, true
		}
	}
	return DeviceConfig{}, false
}

func (pc ProfileConfig) resolve() (Profile, error) {
	var p Profile
	if pc.Base != "" {
		b, err := LookupProfile(pc.Base)
		if err != nil {
			return Profile{}, err
		}
		p = b
	}
	p.Name = pc.Name
	if pc.Protocol != "" {
		p.Protocol = pc.Protocol
	}
	if pc.Baud != nil {
		p.Baud = *pc.Baud
	}
	if pc.DataBits != nil {
		p.DataBits = *pc.DataBits
	}
	if pc.Parity != "" {
		p.Parity = pc.Parity
	}
	if pc.StopBits != nil {
		p.StopBits = *pc.StopBits
	}
	if pc.CTSCheck != nil {
		p.CTSCheck = *pc.CTSCheck
	}
	if pc.Silence != nil {
		p.Silence = pc.Silence.Duration
	}
	if pc.SampleRate != 0 {
		p.SampleRate = pc.SampleRate
	}
	if pc.DeviceZone != "" {
		p.DeviceZone = pc.DeviceZone
	}
	if pc.MaxAge != nil {
		p.MaxAge = pc.MaxAge.Duration
	}
	if pc.Description != "" {
		p.Description = pc.Description
	}
	return p, p.Validate()
}
