package privacy

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/legevakt/workstation/tools/gosource"
)

// The check itself, on a sample with one call of every kind it must find
// and of every kind it must let be.
func TestCheckFindsEveryKindAndOnlyThose(t *testing.T) {
	got, err := Check(filepath.Join("testdata", "sample"))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, f := range got {
		lines = append(lines, f.String())
	}
	want := []string{
		"a.go:14: log: log.Printf is given Name, which names patient data",
		"a.go:15: log: logf is given phoneNumber, which names patient data",
		"a.go:23: file mode: os.WriteFile with mode 0o644 opens the file to the group or others; want 0o600 (0o700 for a directory)",
		"a.go:25: file mode: os.MkdirAll with mode 0755 opens the file to the group or others; want 0o600 (0o700 for a directory)",
		"a.go:27: file mode: os.Create makes a file 0666 before the umask; use os.OpenFile with 0o600",
		"a.go:28: file mode: .Chmod with mode 0o640 opens the file to the group or others; want 0o600 (0o700 for a directory)",
	}
	if !reflect.DeepEqual(lines, want) {
		t.Errorf("findings in testdata/sample:\n got %q\nwant %q", lines, want)
	}
}

// No log in the module is given patient data, and every file the module
// writes is owner-only.
func TestModuleKeepsPatientDataOutOfLogsAndFilesOwnerOnly(t *testing.T) {
	root, err := gosource.ModuleRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	found, err := Check(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range found {
		t.Error(f)
	}
}
