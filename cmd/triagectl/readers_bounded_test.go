package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/legevakt/workstation/capped/cappedtest"
	"github.com/legevakt/workstation/protocols/capture"
	"github.com/legevakt/workstation/triage/store"
)

// cliBudget is what an endless input gives a command before it ends: more
// than the memory bound, so a command that holds what it reads fails that
// check, and one that only loops fails Exhausted.
const cliBudget = 128 << 20

// captureStart is a capture file's magic and header for protocol, and one
// chunk from the device holding data (repeated, it is an endless capture
// whose times never go back).
func captureStart(t *testing.T, protocol string, data []byte) (head, chunk []byte) {
	t.Helper()
	var b bytes.Buffer
	at := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	w, err := capture.NewWriter(&b, capture.Header{Protocol: protocol, Start: at})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	head = append([]byte(nil), b.Bytes()...)
	b.Reset()
	if err := w.Write(capture.Chunk{Time: at, Dir: capture.FromDevice, Data: data}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return head, append([]byte(nil), b.Bytes()...)
}

// masimoLine is one valid Radical-7 ASCII 1 line.
const masimoLine = "11/22/26 09:00:00 SN=0000093112 SPO2=097% BPM=072 PI=01.25% SPCO=--.-% SPMET=--.-% DESAT=-- PIDELTA=+-- PVI=--- ALARM=0000 EXC=000000\r\n"

// Every file a triagectl command reads, given as a named pipe that never
// ends (standing in for a link to /dev/zero or a device), ends the command
// with a non-zero exit and a message naming the file, under the memory
// bound, before the stream's budget is spent.
func TestEveryCommandEndsAnEndlessInputWithAnError(t *testing.T) {
	garbage := []byte("\x01\x02not a frame of any protocol\x03")
	type input struct {
		name  string
		start []byte // given once
		word  []byte // then repeated
	}
	for _, tc := range []struct {
		name string
		in   input
		args []string // "{}" is the pipe's path, "{dir}" its directory
		// files written beside the pipe first
		files map[string]string
		db    bool // a database at {dir}/triage.db
		// records: the input is a stream of valid records, each allocated
		// and freed again, so the bound is on the memory held
		// (cappedtest.Held), not on all that was allocated.
		records bool
	}{
		{"score --rules", input{"rules.json", []byte(`{"version":"`), []byte("x")}, []string{"score", "--rules", "{}"}, nil, false, false},
		{"phone --index", input{"index.json", []byte(`{"complaints":[`), []byte(`{"id":"a"},`)}, []string{"phone", "index", "--index", "{}"}, nil, false, false},
		{"simulate --scenario", input{"s.toml", nil, []byte("# comment\n")}, []string{"simulate", "--profile", "datex", "--scenario", "{}", "--for", "1s"}, nil, false, false},
		{"watch --config", input{"devices.toml", nil, []byte("# comment\n")}, []string{"watch", "--config", "{}", "--device", "a", "--for", "1s"}, nil, false, false},
		{"decode raw", input{"dump.bin", nil, garbage}, []string{"decode", "--protocol", "datex", "{}"}, nil, false, false},
		{"decode raw, a frame that never ends", input{"dump.bin", []byte{0x7e}, []byte("x")}, []string{"decode", "--protocol", "datex", "{}"}, nil, false, false},
		{"decode raw masimo", input{"dump.txt", nil, []byte("x")}, []string{"decode", "--protocol", "masimo", "{}"}, nil, false, false},
		{"decode raw hl7, a message that never ends", input{"dump.hl7", []byte{0x0b}, []byte("MSH|^~\\&|\r")}, []string{"decode", "--protocol", "hl7", "{}"}, nil, false, false},
		{"decode capture", input{"s5.cap", nil, nil}, []string{"decode", "{}"}, nil, false, false},
		{"decode --stats capture", input{"s5.cap", nil, nil}, []string{"decode", "--stats", "{dir}/stats.json", "{}"}, nil, false, false},
		{"replay capture", input{"s5.cap", nil, nil}, []string{"replay", "--max", "{}"}, nil, false, false},
		{"replay raw", input{"dump.bin", nil, garbage}, []string{"replay", "--max", "{}"}, nil, false, false},
		{"dissect", input{"dump.bin", nil, garbage}, []string{"dissect", "--protocol", "datex", "{}"}, nil, false, false},
		{"dissect capture", input{"s5.cap", nil, nil}, []string{"dissect", "{}"}, nil, false, false},
		{"verify recording", input{"dump.bin", nil, garbage}, []string{"verify", "--protocol", "datex", "--expect", "{dir}/golden.jsonl", "{}"},
			map[string]string{"golden.jsonl": "{\"kind\":\"HR\"}\n"}, false, false},
		{"verify --expect", input{"golden.jsonl", nil, []byte("{\"kind\":\"HR\",\"value\":60}\n")}, []string{"verify", "--protocol", "masimo", "--expect", "{}", "{dir}/m.txt"},
			map[string]string{"m.txt": "11/22/26 10:00:00 SN=0000000000 SPO2=098 BPM=072 PI=01.50 SPCO=--.- SPMET=--.- DESAT=-- PIDELTA=+-- ALARM=0000 EXC=000000\r\n"}, false, false},
		{"identify", input{"dump.bin", nil, garbage}, []string{"identify", "{}"}, nil, false, false},
		{"ecg detect, header", input{"r.hea", []byte("r 1 250\nr.dat 16 200 16 0 0 0 0 a\n"), []byte("# comment\n")}, []string{"ecg", "detect", "--record", "{dir}/r"}, nil, false, false},
		{"ecg detect, signal", input{"r.dat", nil, []byte{1, 0}}, []string{"ecg", "detect", "--record", "{dir}/r"},
			map[string]string{"r.hea": "r 1 250\nr.dat 16 200 16 0 0 0 0 a\n"}, false, false},
		{"ecg eval, annotations", input{"r.atr", nil, []byte{1, 4}}, []string{"ecg", "eval", "--db", "{dir}"},
			map[string]string{"r.hea": "r 1 250 4\nr.dat 16 200 16 0 0 0 0 a\n", "r.dat": "\x00\x00\x00\x00\x00\x00\x00\x00"}, false, false},
		{"ecg12 read", input{"ecg.xml", []byte("<?xml version=\"1.0\"?><AnnotatedECG>"), []byte("<a>")}, []string{"ecg12", "read", "{}", "--json"}, nil, false, false},
		{"ecg12 read, WFDB signal", input{"r.dat", nil, []byte{1, 0}}, []string{"ecg12", "read", "{dir}/r.hea", "--json"},
			map[string]string{"r.hea": "r 1 500\nr.dat 16 200 16 0 0 0 0 I\n"}, false, false},
		{"ecg12 render", input{"ecg.scp", nil, []byte{0xff}}, []string{"ecg12", "render", "{}", "-o", "{dir}/page.pdf"}, nil, false, false},
		{"verify, a valid recording that never ends", input{"m.txt", nil, []byte(masimoLine)}, []string{"verify", "--protocol", "masimo", "--expect", "{dir}/golden.jsonl", "{}"},
			map[string]string{"golden.jsonl": "{\"kind\":\"HR\"}\n"}, false, true},
		{"outbox send --config", input{"records.toml", nil, []byte("# comment\n")}, []string{"outbox", "send", "--config", "{}", "--db", "{dir}/triage.db", "--once"}, nil, true, false},
		{"export --config", input{"records.toml", nil, []byte("# comment\n")}, []string{"export", "--fhir", "--config", "{}", "--db", "{dir}/triage.db", "--from", "2026-12-01", "--to", "2026-12-02", "-o", "{dir}/out"}, nil, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, body := range tc.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if tc.db {
				st, err := store.Open(context.Background(), filepath.Join(dir, "triage.db"))
				if err != nil {
					t.Fatal(err)
				}
				st.Close()
			}
			start, word := tc.in.start, tc.in.word
			if word == nil { // an endless capture of garbage chunks
				start, word = captureStart(t, "datex", garbage)
			}
			p := cappedtest.PipeOf(t, filepath.Join(dir, tc.in.name), cappedtest.EndlessAfter(start, word, cliBudget))
			args := make([]string, len(tc.args))
			for i, a := range tc.args {
				a = strings.ReplaceAll(a, "{dir}", dir)
				args[i] = strings.ReplaceAll(a, "{}", p.Path)
			}
			var out, errOut bytes.Buffer
			var code int
			var held uint64
			n := cappedtest.Allocated(func() {
				held = cappedtest.Held(func() { code = run(args, strings.NewReader(""), &out, &errOut) })
			})
			if code == 0 {
				t.Errorf("exit 0 on an endless input; stderr: %s", errOut.String())
			}
			if !tc.records && n >= cappedtest.MemoryBound {
				t.Errorf("allocated %d MB, want under %d MB", n>>20, cappedtest.MemoryBound>>20)
			}
			if held >= cappedtest.MemoryBound {
				t.Errorf("held %d MB, want under %d MB", held>>20, cappedtest.MemoryBound>>20)
			}
			if p.Exhausted() {
				t.Errorf("read the endless input's whole budget (%d MB): the command does not stop by itself", cliBudget>>20)
			}
			t.Logf("exit %d after %d MB written to the pipe, %d MB allocated, %d MB held: %s", code, p.BytesWritten()>>20, n>>20, held>>20, strings.TrimSpace(lastLine(errOut.String())))
		})
	}
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// score and phone decide read JSON Lines from standard input: a line that
// never ends ends the command with an error naming the line instead of
// being skipped forever.
func TestJSONLinesCommandsEndAnEndlessLine(t *testing.T) {
	for _, args := range [][]string{{"score"}, {"phone", "decide"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			src := cappedtest.EndlessAfter([]byte(`{"id":"1","note":"`), []byte("x"), cliBudget)
			var out, errOut bytes.Buffer
			var code int
			n := cappedtest.Allocated(func() { code = run(args, src, &out, &errOut) })
			if code == 0 || !strings.Contains(errOut.String(), "line 1: more than 1048576 bytes without an end of line") {
				t.Errorf("exit %d, stderr %q: want the endless line named", code, errOut.String())
			}
			if n >= cappedtest.MemoryBound {
				t.Errorf("allocated %d MB", n>>20)
			}
			if src.Exhausted() {
				t.Errorf("read the whole %d MB: the line was read to its end", cliBudget>>20)
			}
			t.Logf("exit %d after %d MB: %s %s", code, src.BytesRead()>>20, lastLine(out.String()), lastLine(errOut.String()))
		})
	}
}

// decode of a stream of valid records that goes on (a pipe from a device
// that keeps talking) prints as it reads, like watch: the memory it holds
// stays bounded however long the stream is.
func TestDecodeOfAnEndlessValidStreamHoldsBoundedMemory(t *testing.T) {
	p := cappedtest.PipeOf(t, filepath.Join(t.TempDir(), "rad7.txt"), cappedtest.EndlessAfter(nil, []byte(masimoLine), 16<<20))
	var errOut bytes.Buffer
	var code int
	held := cappedtest.Held(func() {
		code = run([]string{"decode", "--protocol", "masimo", p.Path}, strings.NewReader(""), io.Discard, &errOut)
	})
	if code != 0 {
		t.Errorf("exit %d: %s", code, lastLine(errOut.String()))
	}
	if !p.Exhausted() {
		t.Errorf("stopped after %d MB of valid records", p.BytesWritten()>>20)
	}
	if held >= 8<<20 { // half the stream: a reader that kept it would hold more
		t.Errorf("held %d MB decoding a stream record by record", held>>20)
	}
	t.Logf("16 MB of valid lines decoded holding %d MB", held>>20)
}
