package outbox

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/legevakt/workstation/capped"

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
	Sender        SenderConfig      `toml:"sender"`
}

// SenderConfig is the sender's service identity on a database with
// personal logins (docs/records.md): an account in the role integration,
// made by an administrator, whose password is in an owner-only file.
type SenderConfig struct {
	User         string `toml:"user"`
	PasswordFile string `toml:"password_file"`
}

// Password reads the service identity's password from its file, which
// must be owner-only (0600 or stricter).
func (c SenderConfig) Password() (string, error) {
	if c.User == "" || c.PasswordFile == "" {
		return "", fmt.Errorf("records config: [sender] needs user and password_file (the integration account; docs/records.md)")
	}
	return ReadSecret(c.PasswordFile)
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
	Type           string   `toml:"type"`    // "fhir" or "hl7v2"
	URL            string   `toml:"url"`     // fhir: the FHIR base URL
	Address        string   `toml:"address"` // hl7v2: host:port of the MLLP receiver
	TLS            bool     `toml:"tls"`     // hl7v2: MLLP inside TLS (ca_file, client_cert_file, client_key_file)
	Kinds          []string `toml:"kinds"`   // patient, encounter, assessment, observations
	TokenFile      string   `toml:"token_file"`
	CAFile         string   `toml:"ca_file"`
	ClientCertFile string   `toml:"client_cert_file"`
	ClientKeyFile  string   `toml:"client_key_file"`
	Timeout        string   `toml:"timeout"` // e.g. "30s"; default 30s
}

// MaxConfigBytes bounds a records configuration file: a clinic's file is
// a few kilobytes; a larger one (or a pipe that never ends) is refused
// before it is parsed.
const MaxConfigBytes = 1 << 20

// LoadConfig reads and checks a records configuration file.
func LoadConfig(path string) (Config, error) {
	var c Config
	b, err := capped.ReadFile(path, MaxConfigBytes)
	if err != nil {
		return Config{}, fmt.Errorf("records config: %w", err)
	}
	md, err := toml.Decode(string(b), &c)
	if err != nil {
		return Config{}, fmt.Errorf("records config %s: %w", path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return Config{}, fmt.Errorf("records config %s: unknown setting %q", path, und[0].String())
	}
	return c, c.Check()
}

// Check names the first wrong setting. A file without destinations is
// valid: it names the clinic for a bulk export (triagectl export), which
// sends nothing; sending needs CheckSending as well.
func (c Config) Check() error {
	seen := map[string]bool{}
	for i, d := range c.Destinations {
		field := fmt.Sprintf("destination %d (%s)", i+1, d.Name)
		if seen[d.Name] {
			return fmt.Errorf("records config: %s: the name is used twice", field)
		}
		seen[d.Name] = true
		switch d.Type {
		case "fhir":
			u, err := url.Parse(d.URL)
			if err != nil || u.Host == "" || (u.Scheme != "https" && !(u.Scheme == "http" && isLoopback(u.Hostname()))) {
				return fmt.Errorf("records config: %s: url %q, want https:// (http:// only to a loopback test server)", field, d.URL)
			}
		case "hl7v2":
			host, port, err := net.SplitHostPort(d.Address)
			if err != nil || host == "" || port == "" {
				return fmt.Errorf("records config: %s: address %q, want host:port of the MLLP receiver", field, d.Address)
			}
			for _, k := range d.Kinds {
				if k != string(store.OutboxObservations) && k != string(store.OutboxAssessment) {
					return fmt.Errorf("records config: %s: kind %q does not go as ORU^R01, want observations and/or assessment", field, k)
				}
			}
		default:
			return fmt.Errorf("records config: %s: type %q, want \"fhir\" or \"hl7v2\"", field, d.Type)
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

// CheckSending is what a sender needs beyond Check: at least one
// destination to deliver to.
func (c Config) CheckSending() error {
	if len(c.Destinations) == 0 {
		return fmt.Errorf("records config: no [[destination]]: nothing to send to")
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
func (d DestConfig) Transport() (Transport, error) {
	timeout := 30 * time.Second
	if d.Timeout != "" {
		timeout, _ = time.ParseDuration(d.Timeout)
	}
	files := TLSFiles{CA: d.CAFile, ClientCert: d.ClientCertFile, ClientKey: d.ClientKeyFile}
	client, err := NewClient(files, timeout)
	if err != nil {
		return nil, err
	}
	if d.Type == "hl7v2" {
		l := &MLLP{Addr: d.Address, Timeout: timeout}
		if d.TLS {
			l.TLS = client.Transport.(*http.Transport).TLSClientConfig
		}
		return l, nil
	}
	f := &FHIR{BaseURL: d.URL, Client: client}
	if d.TokenFile != "" {
		if f.Token, err = ReadSecret(d.TokenFile); err != nil {
			return nil, err
		}
	}
	return f, nil
}
