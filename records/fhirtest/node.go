// Package fhirtest runs the FHIR tools the records tests check against,
// none written here: @medplum/core's validateResource (R4 and the
// vital-signs profiles) and @medplum/fhir-router's in-memory FHIR server,
// both from npm (pinned 4.5.2, installed by .ci/node-deps), on the Node.js
// that the machine has.
package fhirtest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// DefaultModules is where .ci/node-deps installs the npm packages.
const DefaultModules = "/opt/legevakt-node/node_modules"

// Modules finds the node_modules directory holding @medplum/core, or
// fails the test. make test sets RECORDS_NODE_MODULES, so a machine
// without the packages fails there with the way to fix it; a developer's
// plain `go test` without them skips with the same message.
func Modules(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("RECORDS_NODE_MODULES")
	required := dir != ""
	if dir == "" {
		dir = DefaultModules
	}
	_, nerr := exec.LookPath("node")
	_, merr := os.Stat(filepath.Join(dir, "@medplum", "core", "package.json"))
	if nerr != nil || merr != nil {
		msg := fmt.Sprintf("the FHIR validator is missing (node: %v; @medplum/core in %s: %v); run `sudo .ci/node-deps` (make deps does)", nerr, dir, merr)
		if required {
			t.Fatal(msg)
		}
		t.Skip(msg + "; RECORDS_NODE_MODULES is not set, so this is not a make test run")
	}
	return dir
}

// Script is the path of a script beside this file.
func Script(name string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), name)
}

// Command runs node on a script of this package with the modules found.
func Command(t testing.TB, script string, args ...string) *exec.Cmd {
	mods := Modules(t)
	cmd := exec.Command("node", append([]string{Script(script)}, args...)...)
	cmd.Env = append(os.Environ(), "NODE_PATH="+mods)
	return cmd
}

// Summary is validate.cjs's last line.
type Summary struct {
	Checked  int            `json:"checked"`
	Failed   int            `json:"failed"`
	Profiles map[string]int `json:"profiles"`
}

// Validate validates resources (or Bundles) with @medplum/core and fails
// the test with the validator's words for each invalid one.
func Validate(t testing.TB, resources []any) Summary {
	t.Helper()
	var in bytes.Buffer
	for _, r := range resources {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		in.Write(b)
		in.WriteByte('\n')
	}
	cmd := Command(t, "validate.cjs")
	cmd.Stdin = &in
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	runErr := cmd.Run()
	lines := bytes.Split(bytes.TrimSpace(out.Bytes()), []byte("\n"))
	var sum Summary
	if err := json.Unmarshal(lines[len(lines)-1], &sum); err != nil {
		t.Fatalf("validator gave no summary (%v): %s %s", runErr, out.String(), errb.String())
	}
	if runErr != nil || sum.Failed > 0 {
		for _, l := range lines[:len(lines)-1] {
			t.Errorf("invalid: %s", l)
		}
		t.Fatalf("%d of %d validations failed (%v)", sum.Failed, sum.Checked, runErr)
	}
	return sum
}

// Server is the FHIR server of server.cjs, running on loopback.
type Server struct {
	URL string
	cmd *exec.Cmd
}

// StartServer starts server.cjs and stops it when the test ends.
func StartServer(t testing.TB) *Server {
	t.Helper()
	cmd := Command(t, "server.cjs")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	sc := bufio.NewScanner(out)
	var port int
	if !sc.Scan() {
		t.Fatalf("FHIR server did not start: %v", sc.Err())
	}
	if _, err := fmt.Sscanf(sc.Text(), "listening %d", &port); err != nil {
		t.Fatalf("FHIR server did not start: %q: %v", sc.Text(), err)
	}
	go func() { // keep its stdout drained
		for sc.Scan() {
		}
	}()
	return &Server{URL: fmt.Sprintf("http://127.0.0.1:%d", port), cmd: cmd}
}

// All returns every resource the server holds, by type.
func (s *Server) All(t testing.TB) map[string][]map[string]any {
	t.Helper()
	resp, err := httpGet(s.URL + "/$all")
	if err != nil {
		t.Fatal(err)
	}
	var out map[string][]map[string]any
	if err := json.Unmarshal(resp, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// MLLPReceiver is mllp.cjs running on loopback.
type MLLPReceiver struct {
	Addr  string
	lines *bufio.Scanner
}

// StartMLLP starts mllp.cjs answering with plan (AA, AE, AR or drop per
// message, then AA).
func StartMLLP(t testing.TB, plan ...string) *MLLPReceiver {
	t.Helper()
	cmd := Command(t, "mllp.cjs", plan...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var port int
	if !sc.Scan() {
		t.Fatalf("MLLP receiver did not start")
	}
	if _, err := fmt.Sscanf(sc.Text(), "listening %d", &port); err != nil {
		t.Fatalf("MLLP receiver: %q", sc.Text())
	}
	return &MLLPReceiver{Addr: fmt.Sprintf("127.0.0.1:%d", port), lines: sc}
}

// Parsed is one message as @medplum/core's Hl7Message read it.
type Parsed struct {
	N       int    `json:"n"`
	Action  string `json:"action"`
	Type    string `json:"type"`
	Control string `json:"control"`
	Version string `json:"version"`
	Ack     string `json:"ack"`
	Profile string `json:"profile"`
	PID3    string `json:"pid3"`
	OBX     []struct {
		ID, Name, System, Value, Unit, Status, Time, Device string
	} `json:"obx"`
}

// Next is the next message the receiver parsed.
func (r *MLLPReceiver) Next(t testing.TB) Parsed {
	t.Helper()
	if !r.lines.Scan() {
		t.Fatalf("MLLP receiver ended: %v", r.lines.Err())
	}
	var p Parsed
	if err := json.Unmarshal(r.lines.Bytes(), &p); err != nil {
		t.Fatalf("MLLP receiver said %q: %v", r.lines.Text(), err)
	}
	return p
}
