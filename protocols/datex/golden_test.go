package datex

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/protocols/codectest"
	"github.com/legevakt/workstation/triage/vitals"
)

// monitorBytes is what an emulated S/5 sends in d after the host's
// requests, with the patient state s; the clock starts at t0.
func monitorBytes(d time.Duration, s codec.PatientState) []byte {
	h := NewS5Host()
	e := NewEmulator(codec.Config{}).(*Emulator)
	for _, f := range h.Open(t0) {
		e.Receive(f, t0)
	}
	var out []byte
	for now := t0; now.Before(t0.Add(d)); now = now.Add(100 * time.Millisecond) {
		for _, f := range e.Tick(now, s) {
			out = append(out, f...)
		}
	}
	return out
}

// goldenStreams are the recordings under testdata/: how each was made is
// part of its golden file's first line.
var goldenStreams = []codectest.GoldenStream{
	{Name: "s5_stable_adult", What: "6 s of a stable adult: displayed values every 5 s, ECG1 and pleth in 200 ms packets", Make: func() []byte {
		return monitorBytes(6*time.Second, codectest.StableAdult())
	}},
	{Name: "s5_damaged", What: "the same 6 s joined mid-frame, with line noise, a flipped byte (bad checksum) and a cut frame", Make: func() []byte {
		b := monitorBytes(6*time.Second, codectest.StableAdult())
		out := append([]byte(nil), b[7:300]...)          // joined mid-frame
		out = append(out, []byte("\x00\xff\x13\x11")...) // noise
		mid := append([]byte(nil), b[300:900]...)
		mid[100] ^= 0x04 // inside a wave packet
		out = append(out, mid...)
		out = append(out, b[900:1000]...)
		out = append(out, 0x7E)         // a flag cuts the frame
		return append(out, b[1400:]...) // and the rest resumes later
	}},
	{Name: "s5_leads_off_partial", What: "3 s with the ECG leads off, no EtCO2 and no temperature", Make: func() []byte {
		s := codectest.StableAdult()
		s.LeadsOff = true
		delete(s.Values, vitals.EtCO2)
		delete(s.Values, vitals.Temp)
		return monitorBytes(3*time.Second, s)
	}},
}

// goldenLine is one decoded record in the golden file.
type goldenLine struct {
	Record       string               `json:"record"`
	Number       uint8                `json:"number"`
	Time         uint32               `json:"time"`
	Observations []vitals.Observation `json:"observations,omitempty"`
	Waves        []waveSummary        `json:"waves,omitempty"`
}

type waveSummary struct {
	Kind    vitals.WaveKind `json:"kind"`
	Channel string          `json:"channel"`
	Rate    float64         `json:"rate"`
	Unit    vitals.Unit     `json:"unit"`
	N       int             `json:"n"`
	First   []float64       `json:"first"` // up to 4 samples (NaN as null is not JSON: gaps are -1e9)
	LeadOff bool            `json:"lead_off,omitempty"`
	Gap     bool            `json:"gap,omitempty"`
}

func decodeGolden(t *testing.T, data []byte) []byte {
	c := NewCodec(codec.Config{DeviceID: "s5-golden"})
	c.Feed(data)
	host := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for c.Scan() {
		r := c.Record().(Record)
		line := goldenLine{Record: fmt.Sprintf("%T", r), Number: r.RecordHeader().Number, Time: r.RecordHeader().Time,
			Observations: c.Observations(host)}
		for _, w := range c.Waves(host) {
			ws := waveSummary{Kind: w.Kind, Channel: w.Channel, Rate: w.Rate, Unit: w.Unit, N: len(w.Samples), LeadOff: w.LeadOff, Gap: w.Gap}
			for _, v := range w.Samples[:min(4, len(w.Samples))] {
				if math.IsNaN(v) {
					v = -1e9
				}
				ws.First = append(ws.First, v)
			}
			line.Waves = append(line.Waves, ws)
		}
		require.NoError(t, enc.Encode(line))
	}
	require.NoError(t, enc.Encode(c.Stats()))
	return buf.Bytes()
}

// TestGoldenDecodes decodes the recordings under testdata/ and compares
// with the golden JSON Lines. Run with -update to regenerate both the
// recordings and the golden files (then check the diff by hand).
func TestGoldenDecodes(t *testing.T) {
	codectest.GoldenDecodes(t, goldenStreams, decodeGolden)
}

// A monitor profile set to the wrong protocol must show as errors.
func TestAStreamOfAnotherProtocolIsErrorsNotSilence(t *testing.T) {
	codectest.ForeignStreams(t, "datex", func() codec.Decoder { return NewCodec(codec.Config{}) }, "records")
}

// The recordings, damage included, decode the same whole, byte by byte
// and in random pieces.
func TestRecordingsDecodeTheSameInAnySplit(t *testing.T) {
	codectest.RecordingsInAnySplit(t, goldenStreams, func() codec.Decoder { return NewCodec(codec.Config{DeviceID: "split"}) },
		func(t *testing.T) codectest.Splits {
			return codectest.Splits{Records: "records", Seed: 17, MaxPiece: 300, Copy: reencode(t)}
		})
}
