package outbox

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/legevakt/workstation/records/fhir"
	"github.com/legevakt/workstation/triage/store"
)

// Config is the records configuration (records.toml, a sibling of the
// device configuration file; docs/records.md). Secrets are never in it:
// it names files (owner-only) that hold them.
type Config struct {
	Clinic        ClinicConfig      `toml:"clinic"`
	Practitioners map[string]string `toml:"practitioners"` // user -> HPR number
	Destinations  []DestConfig      `toml:"destination"`
}

// ClinicConfig is the sender's identity.
type ClinicConfig struct {
	System    string `toml:"system"`
	OrgNumber string `toml:"org_number"`
	OrgName   string `toml:"org_name"`
}

// DestConfig is one record system.
type DestConfig struct {
	Name           string   `toml:"name"`
	Type           string   `toml:"type"` // "fhir"
	URL            string   `toml:"url"`
	Kinds          []string `toml:"kinds"` // patient, encounter, assessment, observations
	TokenFile      string   `toml:"token_file"`
	CAFile         string   `toml:"ca_file"`
	ClientCertFile string   `toml:"client_cert_file"`
	ClientKeyFile  string   `toml:"client_key_file"`
	Timeout        string   `toml:"timeout"` // e.g. "30s"; default 30s
}

// LoadConfig reads and checks a records configuration file.
func LoadConfig(path string) (Config, error) {
	var c Config
	md, err := toml.DecodeFile(path, &c)
	if err != nil {
		return Config{}, fmt.Errorf("records config %s: %w", path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return Config{}, fmt.Errorf("records config %s: unknown setting %q", path, und[0].String())
	}
	return c, c.Check()
}

// Check names the first wrong setting.
func (c Config) Check() error {
	if len(c.Destinations) == 0 {
		return fmt.Errorf("records config: no [[destination]]")
	}
	seen := map[string]bool{}
	for i, d := range c.Destinations {
		field := fmt.Sprintf("destination %d (%s)", i+1, d.Name)
		if seen[d.Name] {
			return fmt.Errorf("records config: %s: the name is used twice", field)
		}
		seen[d.Name] = true
		if d.Type != "fhir" {
			return fmt.Errorf("records config: %s: type %q, want \"fhir\" (HL7 v2 is not in this build)", field, d.Type)
		}
		u, err := url.Parse(d.URL)
		if err != nil || u.Host == "" || (u.Scheme != "https" && !(u.Scheme == "http" && isLoopback(u.Hostname()))) {
			return fmt.Errorf("records config: %s: url %q, want https:// (http:// only to a loopback test server)", field, d.URL)
		}
		if len(d.Kinds) == 0 {
			return fmt.Errorf("records config: %s: kinds is empty, want some of patient, encounter, assessment, observations", field)
		}
		for _, k := range d.Kinds {
			if !store.OutboxKind(k).Valid() {
				return fmt.Errorf("records config: %s: kind %q, want patient, encounter, assessment or observations", field, k)
			}
		}
		if d.Timeout != "" {
			if t, err := time.ParseDuration(d.Timeout); err != nil || t < time.Second || t > 10*time.Minute {
				return fmt.Errorf("records config: %s: timeout %q, want 1s to 10m", field, d.Timeout)
			}
		}
	}
	return nil
}

func isLoopback(h string) bool { return h == "127.0.0.1" || h == "::1" || h == "localhost" }

// ClinicFor is the fhir.Clinic of this configuration for a store instance.
func (c Config) ClinicFor(instance string) (fhir.Clinic, error) {
	cl := fhir.Clinic{System: strings.TrimSuffix(c.Clinic.System, "/"), OrgNumber: c.Clinic.OrgNumber, OrgName: c.Clinic.OrgName,
		Practitioners: c.Practitioners, Instance: instance}
	return cl, cl.Check()
}

// OutboxKinds are d's kinds, typed.
func (d DestConfig) OutboxKinds() []store.OutboxKind {
	out := make([]store.OutboxKind, 0, len(d.Kinds))
	for _, k := range d.Kinds {
		out = append(out, store.OutboxKind(k))
	}
	return out
}

// Transport builds d's transport, reading its secret files.
func (d DestConfig) Transport() (*FHIR, error) {
	timeout := 30 * time.Second
	if d.Timeout != "" {
		timeout, _ = time.ParseDuration(d.Timeout)
	}
	client, err := NewClient(TLSFiles{CA: d.CAFile, ClientCert: d.ClientCertFile, ClientKey: d.ClientKeyFile}, timeout)
	if err != nil {
		return nil, err
	}
	f := &FHIR{BaseURL: d.URL, Client: client}
	if d.TokenFile != "" {
		if f.Token, err = ReadSecret(d.TokenFile); err != nil {
			return nil, err
		}
	}
	return f, nil
}
