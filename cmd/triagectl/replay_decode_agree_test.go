package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/legevakt/workstation/devices"
	"github.com/legevakt/workstation/protocols/capture"
)

// chunksOf reads a capture's chunks.
func chunksOf(t *testing.T, path string) (capture.Header, []capture.Chunk) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := capture.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var out []capture.Chunk
	for {
		c, err := r.Next()
		if err == io.EOF {
			return r.Header(), out
		}
		if err != nil {
			t.Fatal(err)
		}
		c.Data = append([]byte(nil), c.Data...)
		out = append(out, c)
	}
}

func writeCapture(t *testing.T, dir, name string, h capture.Header, chunks []capture.Chunk) string {
	t.Helper()
	var b bytes.Buffer
	w, err := capture.NewWriter(&b, h)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range chunks {
		if err := w.Write(c); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// replay and decode agree on what is an error, over every recording
// labelled as every protocol (its own and the seven others), cut short
// inside a chunk, with a chunk's bytes damaged, and with a header and no
// data: the same exit status every time (issue 16 item 5).
func TestReplayAndDecodeExitAlikeOnEveryRecordingUnderEveryLabel(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(recordings, "*.cap"))
	if err != nil || len(files) < 8 {
		t.Fatalf("recordings: %v %v", files, err)
	}
	dir := t.TempDir()
	var cases []string
	for _, f := range files {
		h, chunks := chunksOf(t, f)
		base := strings.TrimSuffix(filepath.Base(f), ".cap")
		for _, label := range devices.ProtocolNames() {
			h.Protocol = label
			cases = append(cases, writeCapture(t, dir, base+"-as-"+label+".cap", h, chunks))
		}
		h, _ = chunksOf(t, f)
		cases = append(cases, writeCapture(t, dir, base+"-empty.cap", h, nil))
		whole, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		cut := filepath.Join(dir, base+"-cut.cap")
		if err := os.WriteFile(cut, whole[:len(whole)*2/3], 0o600); err != nil {
			t.Fatal(err)
		}
		damaged := append([]byte(nil), whole...)
		damaged[len(damaged)/2] ^= 0xFF // inside a chunk: its CRC no longer matches
		dmg := filepath.Join(dir, base+"-damaged.cap")
		if err := os.WriteFile(dmg, damaged, 0o600); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, cut, dmg)
	}
	codes := map[int]int{}
	for _, p := range cases {
		_, dErr, dCode := runCmd("decode", p)
		_, rErr, rCode := runCmd("replay", "--max", p)
		codes[dCode]++
		if dCode != rCode {
			t.Errorf("%s: decode exit %d, replay exit %d\ndecode: %s\nreplay: %s", filepath.Base(p), dCode, rCode, lastLine(dErr), lastLine(rErr))
		}
	}
	if codes[0] == 0 || codes[1] == 0 {
		t.Errorf("exit codes %v: the cases should hold both good and bad captures", codes)
	}
}

// A chunk time forged days ahead is played after the clamped gap with a
// warning, not slept for (at --speed 1000 the 10 s gap is 10 ms).
func TestReplayClampsAForgedTimeGap(t *testing.T) {
	h, chunks := chunksOf(t, filepath.Join(recordings, "masimo.cap"))
	for i := len(chunks) / 2; i < len(chunks); i++ {
		chunks[i].Time = chunks[i].Time.Add(100 * 24 * time.Hour)
	}
	p := writeCapture(t, t.TempDir(), "forged.cap", h, chunks)
	_, errOut, code := runCmd("replay", "--speed", "1000", "--no-progress", p)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "is played as 10s (longer gaps are clamped)") {
		t.Errorf("no warning of the clamped gap: %s", errOut)
	}
}
