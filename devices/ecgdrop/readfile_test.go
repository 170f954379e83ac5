package ecgdrop

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/legevakt/workstation/protocols/ecg12"
)

// TestReadFileBound: a file of exactly the cap is read; one byte more is
// refused with the cap named. Sparse files keep the test cheap on disk.
func TestReadFileBound(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		size int64
		ok   bool
	}{{ecg12.MaxFileBytes, true}, {ecg12.MaxFileBytes + 1, false}} {
		path := filepath.Join(dir, "ecg.xml")
		if err := os.WriteFile(path, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(path, c.size); err != nil {
			t.Fatal(err)
		}
		data, err := ReadFile(path)
		if c.ok && (err != nil || len(data) != ecg12.MaxFileBytes) {
			t.Errorf("size %d: %d bytes, err %v; want the whole file", c.size, len(data), err)
		}
		if !c.ok && (err == nil || data != nil || !errors.Is(err, ErrTooLarge)) {
			t.Errorf("size %d: %d bytes, err %v; want refused", c.size, len(data), err)
		}
	}
	if _, err := ReadFile(filepath.Join(dir, "missing")); err == nil {
		t.Error("missing file: no error")
	}
}
