package outbox

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/legevakt/workstation/capped"
	"github.com/legevakt/workstation/capped/cappedtest"
)

// Every file the sender reads (its configuration, a CA bundle, a client
// certificate and key, a token) is refused when it never ends or is larger
// than anything of its kind, without being held in memory.
func TestFilesThatNeverEndOrAreTooLargeAreRefused(t *testing.T) {
	good := filepath.Join(t.TempDir(), "good.pem")
	if err := os.WriteFile(good, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	readers := map[string]func(path string) error{
		"records config": func(p string) error { _, err := LoadConfig(p); return err },
		"ca_file":        func(p string) error { _, err := NewClient(TLSFiles{CA: p}, 0); return err },
		"client_cert_file": func(p string) error {
			_, err := NewClient(TLSFiles{ClientCert: p, ClientKey: good}, 0)
			return err
		},
		"client_key_file": func(p string) error {
			_, err := NewClient(TLSFiles{ClientCert: good, ClientKey: p}, 0)
			return err
		},
		"token_file": func(p string) error { _, err := ReadSecret(p); return err },
	}
	for what, read := range readers {
		t.Run(what+"/endless", func(t *testing.T) {
			p := cappedtest.EndlessFile(t, "endless", []byte("# a comment\n"), 0)
			cappedtest.Refuses(t, p, capped.ErrTooLarge, func() error { return read(p.Path) })
		})
		t.Run(what+"/too large", func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "huge")
			if err := os.WriteFile(p, nil, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(p, 1<<40); err != nil {
				t.Skipf("no sparse files: %v", err)
			}
			cappedtest.Refuses(t, nil, capped.ErrTooLarge, func() error { return read(p) })
		})
	}
}
