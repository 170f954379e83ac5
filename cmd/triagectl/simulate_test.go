package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/legevakt/workstation/devices"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPortsListsUSBIdentity(t *testing.T) {
	old := listPorts
	defer func() { listPorts = old }()
	listPorts = func() ([]devices.PortInfo, error) {
		return []devices.PortInfo{{Name: "/dev/ttyUSB0", IsUSB: true, VID: "0403", PID: "6001", SerialNumber: "FT4ABC12", Product: "FT232R"}, {Name: "/dev/ttyS0"}}, nil
	}
	out, _, code := runCmd("ports")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "/dev/ttyUSB0  yes  0403:6001  FT4ABC12  FT232R")
	assert.Contains(t, out, "/dev/ttyS0    no   -")
	out, _, code = runCmd("ports", "--json")
	require.Equal(t, 0, code)
	assert.Contains(t, out, `{"name":"/dev/ttyUSB0","usb":true,"vid":"0403","pid":"6001","serial_number":"FT4ABC12","product":"FT232R"}`)
}

func TestSimulateWatchRecordAndReplayWorkTogether(t *testing.T) {
	pr, pw := io.Pipe()
	simDone := make(chan int)
	var simErr bytes.Buffer
	go func() {
		simDone <- run([]string{"simulate", "--profile", "nonin", "--scenario", "bradycardia", "--for", "6s"}, nil, pw, &simErr)
		pw.Close()
	}()
	br := bufio.NewReader(pr)
	path, err := br.ReadString('\n')
	require.NoError(t, err, "simulate prints the pty path as its first line")
	path = strings.TrimSpace(path)
	go io.Copy(io.Discard, br)

	out, errOut, code := runCmd("watch", "--port", path, "--profile", "nonin", "--for", "2s")
	require.Equal(t, 0, code, errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	assert.JSONEq(t, `"connecting"`, mustField(t, lines[0], "status"))
	var sawLive, sawPR bool
	for _, l := range lines {
		if strings.HasPrefix(l, `{"status":"live"`) {
			sawLive = true
		}
		if strings.Contains(l, `"kind":"pr"`) {
			var o vitals.Observation
			require.NoError(t, json.Unmarshal([]byte(l), &o))
			assert.Equal(t, 38.0, o.Value, "the bradycardia scenario's rate")
			sawPR = true
		}
	}
	assert.True(t, sawLive)
	assert.True(t, sawPR)

	capFile := filepath.Join(t.TempDir(), "nonin.cap")
	_, errOut, code = runCmd("record", "--port", path, "--profile", "nonin", "--for", "2s", "-o", capFile)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "live")

	out, errOut, code = runCmd("replay", capFile, "--max")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, `"kind":"spo2","value":96`)
	assert.Contains(t, errOut, "(capture, nonin)")

	assert.Equal(t, 0, <-simDone, simErr.String())
	assert.Contains(t, simErr.String(), "scenario bradycardia")
}

func mustField(t *testing.T, line, field string) string {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(line), &m), line)
	return string(m[field])
}

func TestReplayOnAPtyFeedsALiveDriver(t *testing.T) {
	link := filepath.Join(t.TempDir(), "replay-tty")
	pr, pw := io.Pipe()
	done := make(chan int)
	var errOut bytes.Buffer
	go func() {
		done <- run([]string{"replay", filepath.Join(recordings, "masimo.cap"), "--pty", "--link", link, "--delay", "300ms", "--speed", "2"}, nil, pw, &errOut)
		pw.Close()
	}()
	br := bufio.NewReader(pr)
	path, err := br.ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, link, strings.TrimSpace(path))
	go io.Copy(io.Discard, br)
	out, werr, code := runCmd("watch", "--port", link, "--profile", "masimo", "--for", "3s")
	require.Equal(t, 0, code, werr)
	assert.Contains(t, out, `"kind":"spo2","value":98`)
	assert.Equal(t, 0, <-done, errOut.String())
}

func TestWatchAndRecordRefuseIncompleteFlags(t *testing.T) {
	_, errOut, code := runCmd("watch", "--profile", "masimo")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "give --port")
	_, errOut, code = runCmd("watch", "--port", "/dev/null", "--profile", "nope")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `unknown profile "nope"`)
	_, errOut, code = runCmd("record", "--port", "/dev/null", "--profile", "masimo")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "give -o FILE")
	_, errOut, code = runCmd("simulate")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "give --profile")
	_, errOut, code = runCmd("simulate", "--profile", "masimo", "--scenario", "zombie")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "want one of")
	_, errOut, code = runCmd("replay", filepath.Join(recordings, "masimo.cap"), "--speed", "0")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "want a positive number")
}

func TestWatchTakesAConfiguredDeviceFromTheConfigFile(t *testing.T) {
	link := filepath.Join(t.TempDir(), "spo2")
	pr, pw := io.Pipe()
	done := make(chan int)
	var simErr bytes.Buffer
	go func() {
		done <- run([]string{"simulate", "--profile", "masimo", "--link", link, "--for", "3s"}, nil, pw, &simErr)
		pw.Close()
	}()
	br := bufio.NewReader(pr)
	_, err := br.ReadString('\n')
	require.NoError(t, err)
	go io.Copy(io.Discard, br)
	cfg := filepath.Join(t.TempDir(), "devices.toml")
	require.NoError(t, os.WriteFile(cfg, []byte("[[device]]\nid = \"reception-spo2\"\nlocation = \"Resepsjon\"\nport = \""+link+"\"\nprofile = \"masimo\"\n"), 0o644))
	out, errOut, code := runCmd("watch", "--config", cfg, "--device", "reception-spo2", "--for", "2s")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, `"kind":"spo2","value":98,"unit":"%","quality":"valid","source":"reception-spo2"`)
	assert.Equal(t, 0, <-done, simErr.String())
	_, errOut, code = runCmd("watch", "--config", cfg, "--device", "nobody")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `no device "nobody"`)
}
