// Package sharedfiles finds, for tests, the reference files the clinic
// shares beside the repository: real annotated ECG records (shared/ecg)
// and 12-lead cart files (shared/ecg12). They are not in the repository;
// CI clones it with shared/ beside it, and a git worktree elsewhere names
// the directory in $LEGEVAKT_SHARED.
//
// A test that needs one skips where they are absent (a developer's
// machine without them), but fails under CI (CI set, as .ci/run sets it):
// a test skipped there would assert nothing, and pass.
package sharedfiles

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the shared directory sub ("ecg", "ecg12") when it holds
// probe (a path inside it that shows the files are there); otherwise it
// skips t, or fails it under CI.
func Dir(t testing.TB, sub, probe string) string {
	t.Helper()
	root, err := Root()
	if err == nil {
		dir := filepath.Join(root, sub)
		if _, err = os.Stat(filepath.Join(dir, probe)); err == nil {
			return dir
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("the shared reference files are missing under CI (want %s/%s beside the repository, or $LEGEVAKT_SHARED): %v", sub, probe, err)
		return ""
	}
	t.Skipf("the shared reference files are absent (%s/%s beside the repository, or set LEGEVAKT_SHARED): %v", sub, probe, err)
	return ""
}

// File returns the path of the shared file sub/name (as Dir).
func File(t testing.TB, sub, name string) string {
	t.Helper()
	return filepath.Join(Dir(t, sub, name), name)
}

// Read returns the bytes of the shared file sub/name (as Dir).
func Read(t testing.TB, sub, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(File(t, sub, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Root is $LEGEVAKT_SHARED, or the directory shared beside the module's
// root (the nearest directory above the working directory with a go.mod).
func Root() (string, error) {
	if d := os.Getenv("LEGEVAKT_SHARED"); d != "" {
		return d, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(filepath.Dir(dir), "shared"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}
