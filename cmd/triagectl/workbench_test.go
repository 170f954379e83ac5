package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/legevakt/workstation/devices"
	"github.com/legevakt/workstation/protocols/ansarb"
	"github.com/legevakt/workstation/protocols/capture"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// damagedDatexDump is the datex recording's device bytes with one byte of
// a wave frame changed (its checksum then fails), and the offset changed.
func damagedDatexDump(t *testing.T) (string, int) {
	t.Helper()
	clean := rawDump(t, filepath.Join(recordings, "datex.cap"))
	b, err := os.ReadFile(clean)
	require.NoError(t, err)
	// The sixth frame: skip five frame starts (each frame is 7E ... 7E).
	flags := 0
	at := -1
	for i, c := range b {
		if c == 0x7E {
			flags++
			if flags == 11 { // the start flag of frame 6
				at = i + 40
				break
			}
		}
	}
	require.Positive(t, at)
	require.NotContains(t, []byte{0x7E, 0x7D, 0x7F}, b[at])
	b[at] ^= 0x01
	p := filepath.Join(t.TempDir(), "damaged.bin")
	require.NoError(t, os.WriteFile(p, b, 0o644))
	return p, at
}

func TestVerifyPassesOnItsOwnGoldenAndReportsAChangedValueByRecordAndField(t *testing.T) {
	capPath := filepath.Join(recordings, "datex.cap")
	golden := filepath.Join(t.TempDir(), "datex.golden.jsonl")
	out, errOut, code := runCmd("verify", "--protocol", "datex", capPath, "--expect", golden, "--write-expect")
	require.Equal(t, 0, code, out+errOut)
	fi, err := os.Stat(golden)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "a golden of a recording is owner-only")

	out, errOut, code = runCmd("verify", "--protocol", "datex", capPath, "--expect", golden)
	assert.Equal(t, 0, code, out+errOut)
	assert.Contains(t, out, "OK: 75 records equal")

	b, err := os.ReadFile(golden)
	require.NoError(t, err)
	lines := strings.Split(string(b), "\n")
	require.Contains(t, lines[2], `"value":72`)
	lines[2] = strings.Replace(lines[2], `"value":72`, `"value":75`, 1)
	require.NoError(t, os.WriteFile(golden, []byte(strings.Join(lines, "\n")), 0o600))
	out, _, code = runCmd("verify", "--protocol", "datex", capPath, "--expect", golden)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "1 records differ")
	assert.Contains(t, out, "record 3 (t 2026-11-22T14:00:00.01Z): value: expected 75, got 72")
	assert.Less(t, strings.Count(out, "\n"), 8, "one difference is a few lines, not a diff of the file:\n%s", out)

	out, _, code = runCmd("verify", "--protocol", "datex", capPath, "--expect", golden, "--tolerance", "value=3")
	assert.Equal(t, 0, code, out)
	out, _, code = runCmd("verify", "--protocol", "datex", capPath, "--expect", golden, "--ignore", "value")
	assert.Equal(t, 0, code, out)
	out, _, code = runCmd("verify", "--protocol", "datex", capPath, "--expect", golden, "--tolerance", "value=2.9")
	assert.Equal(t, 1, code, out)
}

func TestVerifyFailsOnADamagedFrameEvenWhenTheValuesAgree(t *testing.T) {
	dump, at := damagedDatexDump(t)
	golden := filepath.Join(t.TempDir(), "golden.jsonl")
	args := []string{"verify", "--protocol", "datex", "--start", "2026-11-22T14:00:00Z", dump, "--expect", golden}
	out, _, code := runCmd(append(args, "--write-expect")...)
	assert.Equal(t, 1, code, "a golden is never made from a damaged recording")
	assert.Contains(t, out, "not written")
	_, err := os.Stat(golden)
	assert.True(t, os.IsNotExist(err))

	clean := rawDump(t, filepath.Join(recordings, "datex.cap"))
	out, errOut, code := runCmd("verify", "--protocol", "datex", "--start", "2026-11-22T14:00:00Z", clean, "--expect", golden, "--write-expect")
	require.Equal(t, 0, code, out+errOut)
	out, _, code = runCmd(args...)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "checksum: 1 at byte")
	// The checksum fails at the frame's end flag, after the changed byte.
	m := regexp.MustCompile(`checksum: 1 at byte (\d+)`).FindStringSubmatch(out)
	require.Len(t, m, 2)
	assert.Contains(t, out, "record", "the lost wave block shows as a record difference too")
	_ = at
}

func TestVerifyUsageErrorsExitWith2(t *testing.T) {
	capPath := filepath.Join(recordings, "datex.cap")
	for _, args := range [][]string{
		{"verify", capPath},
		{"verify", "--expect", "x.jsonl"},
		{"verify", capPath, "--expect", "/nonexistent/golden.jsonl"},
		{"verify", capPath, "--expect", "x.jsonl", "--tolerance", "value"},
		{"verify", capPath, "--expect", "x.jsonl", "--tolerance", "value=NaN"},
		{"verify", capPath, "--expect", "x.jsonl", "--tolerance", "value=-1"},
		{"verify", "--protocol", "medibus", capPath, "--expect", "x.jsonl"},
	} {
		_, errOut, code := runCmd(args...)
		assert.Equal(t, 2, code, "%v: %s", args, errOut)
		assert.NotEmpty(t, errOut)
	}
}

func TestDecodeStrictFailsOnAnyDecoderErrorAndStatsNameItsOffset(t *testing.T) {
	dump, _ := damagedDatexDump(t)
	statsPath := filepath.Join(t.TempDir(), "stats.json")
	out, errOut, code := runCmd("decode", "--protocol", "datex", dump, "--stats", statsPath)
	require.Equal(t, 0, code, "without --strict a damaged recording still decodes: %s", errOut)
	assert.NotEmpty(t, out)
	_, errOut, code = runCmd("decode", "--protocol", "datex", "--strict", dump)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "--strict: 1 decoder errors (checksum 1)")

	b, err := os.ReadFile(statsPath)
	require.NoError(t, err)
	var st devices.StreamStats
	require.NoError(t, json.Unmarshal(b, &st))
	assert.Equal(t, "datex", st.Protocol)
	assert.Equal(t, uint64(1), st.Errors["checksum"].Count)
	require.Len(t, st.Errors["checksum"].Offsets, 1)
	assert.Positive(t, st.Records["PHDB"])
	assert.Positive(t, st.Records["WaveRecord"])
	assert.Nil(t, st.FramePeriodMS, "a raw dump has no times")

	require.NoError(t, os.Remove(statsPath))
	_, errOut, code = runCmd("decode", filepath.Join(recordings, "datex.cap"), "--stats", statsPath)
	require.Equal(t, 0, code, errOut)
	b, err = os.ReadFile(statsPath)
	require.NoError(t, err)
	st = devices.StreamStats{}
	require.NoError(t, json.Unmarshal(b, &st))
	require.NotNil(t, st.FramePeriodMS)
	assert.InDelta(t, 200, *st.FramePeriodMS, 1, "S/5 wave packets every 200 ms")
	require.NotNil(t, st.JitterMS)
	assert.Empty(t, st.Gaps)
}

// summaryCounts are the numbers of a decode or replay summary line.
var summaryCounts = regexp.MustCompile(`: \d+ bytes, \d+ frames, \d+ records, \d+ observations and \d+ wave blocks \(\d+ of them valid\), \d+ events, \d+ resyncs; errors:.*`)

func TestDecodeAndReplayAgreeOnEveryCountOfEveryRecording(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(recordings, "*.cap"))
	require.NoError(t, err)
	for _, f := range files {
		dOut, dErr, dCode := runCmd("decode", f, "--waves")
		rOut, rErr, rCode := runCmd("replay", f, "--max", "--waves")
		assert.Equal(t, dCode, rCode, f)
		assert.Equal(t, summaryCounts.FindString(dErr), summaryCounts.FindString(rErr), "%s:\n%s\n%s", f, dErr, rErr)
		assert.NotEmpty(t, summaryCounts.FindString(dErr))
		assert.Equal(t, dOut, rOut, "%s: the same lines", f)
	}
}

func TestReplayOfAnotherProtocolsBytesOrOfAnEmptyCaptureExitsAsDecodeDoes(t *testing.T) {
	// A capture whose header says datex and whose bytes are HL7.
	raw, err := os.ReadFile(rawDump(t, filepath.Join(recordings, "hl7.cap")))
	require.NoError(t, err)
	start := time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC)
	write := func(data []byte) string {
		var buf bytes.Buffer
		w, err := capture.NewWriter(&buf, capture.Header{Protocol: "datex", Start: start})
		require.NoError(t, err)
		if data != nil {
			require.NoError(t, w.Write(capture.Chunk{Time: start, Dir: capture.FromDevice, Data: data}))
		}
		require.NoError(t, w.Flush())
		p := filepath.Join(t.TempDir(), "c.cap")
		require.NoError(t, os.WriteFile(p, buf.Bytes(), 0o644))
		return p
	}
	for _, p := range []string{write(raw), write(nil)} {
		_, dErr, dCode := runCmd("decode", p)
		_, rErr, rCode := runCmd("replay", p, "--max")
		assert.Equal(t, 1, dCode, dErr)
		assert.Equal(t, 1, rCode, rErr)
	}
	_, rErr, _ := runCmd("replay", write(raw), "--max")
	assert.Contains(t, rErr, "no frame of this protocol found")
	_, rErr, _ = runCmd("replay", write(nil), "--max")
	assert.Contains(t, rErr, "empty: no bytes from the device")
}

func TestIdentifyNamesTheProtocolOfEveryRecording(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(recordings, "*.cap"))
	require.NoError(t, err)
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".cap")
		out, errOut, code := runCmd("identify", rawDump(t, f))
		if name == "nonin8" {
			// Six records of format 8 (no checksum) are too few to be sure.
			assert.Equal(t, 1, code, errOut)
			assert.Contains(t, errOut, "best nonin8")
			continue
		}
		assert.Equal(t, 0, code, errOut)
		assert.Contains(t, errOut, "look like "+name+" (", out)
		assert.True(t, strings.HasPrefix(strings.Split(out, "\n")[1], name+" "), "%s ranks first:\n%s", name, out)
	}
	_, errOut, code := runCmd("identify", "--port", "/nonexistent/tty")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "/nonexistent/tty")
	_, _, code = runCmd("identify")
	assert.Equal(t, 2, code)
}

func TestDissectShowsEachFrameAndTheErrorAtItsByte(t *testing.T) {
	dump, _ := damagedDatexDump(t)
	out, errOut, code := runCmd("dissect", "--protocol", "datex", dump)
	require.Equal(t, 0, code, errOut)
	assert.Regexp(t, `(?m)^#1 device \S+ @0\+\d+ PHDB`, out)
	assert.Regexp(t, `(?m)^    ! checksum at byte \d+$`, out)
	assert.Contains(t, out, `fields: {"header":{"Number":`)
	assert.Contains(t, out, `"basic":{"ECG":{"Status":3,"Label":0,"HR":72`, "S/5 displayed values by group name")

	out, errOut, code = runCmd("dissect", filepath.Join(recordings, "intellivue.cap"), "--json", "--to", "0.05s")
	require.Equal(t, 0, code, errOut)
	var dirs []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var l dissectLine
		require.NoError(t, json.Unmarshal([]byte(line), &l), line)
		assert.NotEmpty(t, l.Hex)
		assert.Equal(t, uint64(len(l.Hex)/2), l.Length)
		dirs = append(dirs, l.Direction+" "+l.Type)
	}
	assert.Contains(t, dirs, "host AssociationRequest")
	assert.Contains(t, dirs, "device AssociationAccept")
	assert.Contains(t, dirs, "device MDSCreateEvent")
	_, _, code = runCmd("dissect", "--protocol", "datex", dump, "--from", "yesterday")
	assert.Equal(t, 2, code)
}

func TestDecodeGivesTheIvyPulseRateAndItsAlarmTextsAsEvents(t *testing.T) {
	var raw []byte
	for i, alarm := range []string{"", "APNEA: 20 SEC", "APNEA: 20 SEC", ""} {
		var m ansarb.Message
		for j := range m.ECG {
			m.ECG[j] = 100 + byte(j%7)
		}
		m.Params = []ansarb.Param{
			{Name: "HR", Values: []string{"80"}},
			{Name: "RR", Values: []string{"0"}, Alarm: alarm},
			{Name: "SPO2", Values: []string{"100"}, Label: "PR=80 "},
			{Name: "IBP1", Values: []string{""}, Alarm: "NO TRANSDUCER"},
		}
		_ = i
		raw = ansarb.AppendMessage(raw, m)
	}
	p := filepath.Join(t.TempDir(), "ivy.bin")
	require.NoError(t, os.WriteFile(p, raw, 0o644))
	out, errOut, code := runCmd("decode", "--protocol", "ansarb", "--start", "2026-11-22T14:00:00Z", p)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, `"kind":"pr","value":80,"unit":"/min"`)
	assert.Equal(t, 1, strings.Count(out, `"text":"APNEA: 20 SEC"`), "an alarm repeated every second is one event:\n%s", out)
	assert.Contains(t, out, `{"event":{"kind":"alarm","param":"RR","text":"APNEA: 20 SEC"`)
	assert.Contains(t, out, `{"event":{"kind":"technical","param":"IBP1","text":"NO TRANSDUCER"`)
	assert.Contains(t, out, `{"event":{"kind":"alarm","param":"RR","text":"","cleared":true`)
}

// feedingPTY is a pseudo-terminal that sends a Masimo line every 50 ms
// until the test ends; its path is returned.
func feedingPTY(t *testing.T) string {
	t.Helper()
	p, err := devices.OpenPTY(devices.WithLinkPath(filepath.Join(t.TempDir(), "tty")))
	require.NoError(t, err)
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		line := []byte("11/22/26 09:00:00 SN=0000093112 SPO2=097% BPM=072 PI=01.25% ALARM=0000 EXC=000000\r\n")
		for {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
				_, _ = p.Write(line)
			}
		}
	}()
	t.Cleanup(func() { close(stop); <-done; p.Close() })
	return p.Path()
}

func TestRecordAndWatchRefuseAMissingPortOrOneInUseAndLeaveNoFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "x.cap")
	_, errOut, code := runCmd("watch", "--port", "/nonexistent/ttyUSB9", "--profile", "masimo", "--for", "1s")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "device masimo on /nonexistent/ttyUSB9: the port does not exist")

	port := feedingPTY(t)
	held, err := devices.OpenSerial(port, mustProfile(t, "masimo"))
	require.NoError(t, err)
	defer held.Close()
	_, errOut, code = runCmd("watch", "--port", port, "--profile", "masimo", "--id", "spo2-3", "--for", "1s")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "device spo2-3 on "+port+": the port is already open in another program")
	_, errOut, code = runCmd("record", "--port", port, "--profile", "masimo", "-o", out, "--for", "1s")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "already open in another program")
	_, err = os.Stat(out)
	assert.True(t, os.IsNotExist(err), "no capture file is left behind")

	// A port that exists but stays silent: the empty capture is removed.
	silent, err := devices.OpenPTY(devices.WithLinkPath(filepath.Join(t.TempDir(), "silent")))
	require.NoError(t, err)
	defer silent.Close()
	_, errOut, code = runCmd("record", "--port", silent.Path(), "--profile", "masimo", "-o", out, "--for", "500ms")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "nothing came from the device, so "+out+" was removed")
	_, err = os.Stat(out)
	assert.True(t, os.IsNotExist(err))
}

func TestWatchWithAConfigFileWatchesEveryDeviceOfIt(t *testing.T) {
	a, b := feedingPTY(t), feedingPTY(t)
	cfg := filepath.Join(t.TempDir(), "devices.toml")
	require.NoError(t, os.WriteFile(cfg, []byte(`[[device]]
id = "spo2-a"
location = "Obs 1"
port = "`+a+`"
profile = "masimo"

[[device]]
id = "spo2-b"
location = "Obs 2"
port = "`+b+`"
profile = "masimo"

[[device]]
id = "spo2-gone"
location = "Gang"
port = "/nonexistent/ttyUSB7"
profile = "masimo"
`), 0o600))
	out, errOut, code := runCmd("watch", "--config", cfg, "--device", "spo2-a,spo2-b", "--for", "1500ms")
	require.Equal(t, 0, code, errOut)
	for _, id := range []string{"spo2-a", "spo2-b"} {
		assert.Contains(t, out, `"status":"live","device":"`+id+`"`)
		assert.Contains(t, out, `"quality":"valid","source":"`+id+`"`)
	}
	assert.Contains(t, out, `"location":"Obs 2","port":"`+b+`"`)

	out, errOut, code = runCmd("watch", "--config", cfg, "--for", "1500ms")
	assert.Equal(t, 1, code, "one device of the file could not be watched")
	assert.Contains(t, errOut, "device spo2-gone (Gang) on /nonexistent/ttyUSB7: the port does not exist")
	assert.Contains(t, out, `"source":"spo2-a"`)
	assert.Contains(t, out, `"source":"spo2-b"`)
}

func mustProfile(t *testing.T, name string) devices.Profile {
	t.Helper()
	p, err := devices.LookupProfile(name)
	require.NoError(t, err)
	return p
}

// startSim runs `triagectl simulate` with args on a new link and returns
// the link and a channel with its exit status.
func startSim(t *testing.T, args ...string) (string, <-chan int) {
	t.Helper()
	link := filepath.Join(t.TempDir(), "sim")
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	var simErr bytes.Buffer
	go func() {
		done <- run(append([]string{"simulate", "--link", link}, args...), nil, pw, &simErr)
		pw.Close()
	}()
	br := bufio.NewReader(pr)
	_, err := br.ReadString('\n')
	require.NoError(t, err, simErr.String())
	go io.Copy(io.Discard, br)
	return link, done
}

func TestSimulatedLineFaultsAreSeenEndToEndOverAPty(t *testing.T) {
	t.Run("a monitor whose interface sends at 19200 while the profile reads 9600 gives no valid value", func(t *testing.T) {
		t.Parallel()
		link, done := startSim(t, "--profile", "masimo", "--fault", "baud=19200", "--for", "3s")
		out, errOut, code := runCmd("watch", "--port", link, "--profile", "masimo", "--for", "2500ms")
		require.Equal(t, 0, code, errOut)
		assert.NotContains(t, out, `"quality":"valid"`)
		assert.NotContains(t, out, `"status":"live"`)
		assert.Equal(t, 0, <-done)
	})
	t.Run("every S/5 frame corrupted gives checksum errors, a line-settings hint and no values", func(t *testing.T) {
		t.Parallel()
		link, done := startSim(t, "--profile", "datex", "--fault", "checksum=1", "--for", "3s")
		out, errOut, code := runCmd("watch", "--port", link, "--profile", "datex", "--for", "2500ms")
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, out, "many framing or checksum errors")
		assert.NotContains(t, out, `"quality":"valid"`)
		assert.Equal(t, 0, <-done)
	})
	t.Run("a nonsense fault is a usage error", func(t *testing.T) {
		_, errOut, code := runCmd("simulate", "--profile", "masimo", "--fault", "noise=2")
		assert.Equal(t, 2, code)
		assert.Contains(t, errOut, "noise=2: want a rate from 0 to 1")
	})
}

var updateExpect = flag.Bool("update-expect", false, "rewrite testdata/recordings/*.expect.jsonl with verify --write-expect")

// The acceptance test of every driver, as a site runs it in CI: each
// recording is verified against its golden decode (made once with
// `triagectl verify --write-expect` from the trusted recording).
func TestEveryRecordingPassesItsAcceptanceGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(recordings, "*.cap"))
	require.NoError(t, err)
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".cap")
		golden := filepath.Join(recordings, name+".expect.jsonl")
		if *updateExpect {
			out, errOut, code := runCmd("verify", "--protocol", name, f, "--expect", golden, "--write-expect")
			require.Equal(t, 0, code, out+errOut)
			require.NoError(t, os.Chmod(golden, 0o644)) // test data, not patient data
		}
		out, errOut, code := runCmd("verify", "--protocol", name, f, "--expect", golden)
		assert.Equal(t, 0, code, "%s: %s%s", name, out, errOut)
	}
}

func TestWatchPrintsTheMonitorsAlarmTextsAsEvents(t *testing.T) {
	sc := filepath.Join(t.TempDir(), "leads-off-soon.toml")
	require.NoError(t, os.WriteFile(sc, []byte(`name = "leads-off-soon"
rhythm = "sinus"

[[point]]
at = "0s"
hr = 76
spo2 = 97
rr = 15

[[event]]
at = "1s"
kind = "leads_off"
duration = "10s"
`), 0o600))
	link, done := startSim(t, "--profile", "ansarb", "--scenario", sc, "--for", "3s")
	out, errOut, code := runCmd("watch", "--port", link, "--profile", "ansarb", "--id", "ivy-1", "--for", "2500ms")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, `{"event":{"kind":"technical","param":"HR","text":"LEADS OFF"`)
	assert.Contains(t, out, `"source":"ivy-1"}}`)
	assert.Equal(t, 1, strings.Count(out, `"text":"LEADS OFF"`), "one event while the alarm lasts:\n%s", out)
	assert.Equal(t, 0, <-done)
}

func TestIdentifyListensOnAPort(t *testing.T) {
	port := feedingPTY(t)
	out, errOut, code := runCmd("identify", "--port", port, "--profile", "masimo", "--for", "1s")
	require.Equal(t, 0, code, out+errOut)
	assert.Contains(t, errOut, "look like masimo (")
	assert.Contains(t, errOut, port+" (9600 8N1, 1s)")
}

func TestDeviceCommandsRefuseNonsenseNumbersNamingTheFlagAndRange(t *testing.T) {
	capPath := filepath.Join(recordings, "masimo.cap")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"replay", capPath, "--speed", "NaN"}, "--speed NaN: want a positive number from 0.01 to 1000"},
		{[]string{"replay", capPath, "--speed", "-1"}, "--speed -1: want a positive number from 0.01 to 1000"},
		{[]string{"replay", capPath, "--speed", "1e308"}, "--speed 1e+308: want a positive number from 0.01 to 1000"},
		{[]string{"replay", capPath, "--speed", "+Inf"}, "--speed +Inf: want a positive number from 0.01 to 1000"},
		{[]string{"replay", capPath, "--pty", "--delay", "-1s"}, "--delay -1s: want 0s to 1m"},
		{[]string{"watch", "--port", "/dev/null", "--profile", "masimo", "--for", "-1s"}, "--for -1s: want a duration from 1s to 720h0m0s"},
		{[]string{"watch", "--port", "/dev/null", "--profile", "masimo", "--for", "100000h"}, "--for 100000h0m0s: want a duration from 1s to 720h0m0s"},
		{[]string{"record", "--port", "/dev/null", "--profile", "masimo", "-o", "x.cap", "--for", "-5m"}, "--for -5m0s: want a duration"},
		{[]string{"simulate", "--profile", "masimo", "--for", "9999h"}, "--for 9999h0m0s: want a duration from 1s to 720h0m0s"},
		{[]string{"simulate", "--profile", "masimo", "--fault", "baud=NaN"}, "baud=NaN: want a line speed from 50 to 4000000"},
		{[]string{"identify", "--port", "/dev/null", "--for", "0s"}, "--for 0s: want 1s..10m"},
		{[]string{"dissect", "--protocol", "masimo", capPath, "--rate", "-Inf"}, "--rate -Inf: want 1..10000"},
		{[]string{"verify", "--protocol", "nope", capPath, "--expect", "x"}, `--protocol "nope": want one of`},
	} {
		_, errOut, code := runCmd(tc.args...)
		assert.Equal(t, 2, code, "%v: %s", tc.args, errOut)
		assert.Contains(t, errOut, tc.want, "%v", tc.args)
	}
}
