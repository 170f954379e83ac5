package sharedfiles

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRootIsSharedBesideTheModuleOrTheEnvironments(t *testing.T) {
	t.Setenv("LEGEVAKT_SHARED", "")
	root, err := Root()
	if err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	if want := filepath.Join(filepath.Dir(filepath.Dir(wd)), "shared"); root != want {
		t.Errorf("Root() = %s, want %s (beside the module at %s)", root, want, filepath.Dir(wd))
	}
	t.Setenv("LEGEVAKT_SHARED", "/elsewhere/shared")
	if root, _ := Root(); root != "/elsewhere/shared" {
		t.Errorf("Root() = %s with LEGEVAKT_SHARED set, want /elsewhere/shared", root)
	}
}

// fakeTB records how Dir ended a test.
type fakeTB struct {
	testing.TB
	skipped, failed bool
}

func (f *fakeTB) Helper()               {}
func (f *fakeTB) Skipf(string, ...any)  { f.skipped = true }
func (f *fakeTB) Fatalf(string, ...any) { f.failed = true }
func (f *fakeTB) Fatal(...any)          { f.failed = true }

func TestAbsentFilesSkipButFailUnderCI(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "ecg12"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ecg12", "a.xml"), []byte("<a/>"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("LEGEVAKT_SHARED", dir)
	for _, ci := range []string{"", "true"} {
		t.Setenv("CI", ci)
		present := &fakeTB{}
		if got := File(present, "ecg12", "a.xml"); got != filepath.Join(dir, "ecg12", "a.xml") || present.skipped || present.failed {
			t.Errorf("CI=%q: a present file gave %q, skipped %v, failed %v", ci, got, present.skipped, present.failed)
		}
		absent := &fakeTB{}
		Dir(absent, "ecg", "mitdb/100.hea")
		if want := ci == ""; absent.skipped != want || absent.failed == want {
			t.Errorf("CI=%q: absent files skipped %v, failed %v; want a skip only outside CI", ci, absent.skipped, absent.failed)
		}
	}
}
