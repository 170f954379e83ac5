package main

import (
	"os"
	"testing"
)

// asMainEnv, set in a child's environment, makes this test binary run
// main with the child's arguments instead of the tests (asMain).
const asMainEnv = "TRIAGECTL_TEST_AS_MAIN"

// TestMain runs main when asMainEnv is set, else the tests.
func TestMain(m *testing.M) {
	if os.Getenv(asMainEnv) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// asMain returns the path of this test binary and the environment that
// makes it triagectl: exec.Command(bin, args...) with that environment
// runs main(args), exit status and all, as the built program would.
func asMain(t *testing.T) (bin string, env []string) {
	t.Helper()
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return bin, append(os.Environ(), asMainEnv+"=1")
}
