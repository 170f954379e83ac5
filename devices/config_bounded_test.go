package devices

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/legevakt/workstation/capped"
	"github.com/legevakt/workstation/capped/cappedtest"
	"github.com/legevakt/workstation/devices/scenario"
)

// The device configuration and a scenario file are refused when they
// never end or are larger than any file of their kind, before parsing.
func TestConfigAndScenarioFilesThatNeverEndOrAreTooLargeAreRefused(t *testing.T) {
	readers := map[string]func(path string) error{
		"devices config": func(p string) error { _, err := LoadConfig(p); return err },
		"scenario":       func(p string) error { _, err := scenario.Load(p); return err },
	}
	for what, read := range readers {
		t.Run(what+"/endless", func(t *testing.T) {
			p := cappedtest.EndlessFile(t, "endless.toml", []byte("# comment\n"), 0)
			cappedtest.Refuses(t, p, capped.ErrTooLarge, func() error { return read(p.Path) })
		})
		t.Run(what+"/too large", func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "huge.toml")
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
