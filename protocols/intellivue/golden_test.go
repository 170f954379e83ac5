package intellivue

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

// monitorBytes is what an emulated monitor sends during d of a
// conversation with the host (association accept, MDS Create Event, poll
// results), with the patient state s; the clock starts at t0.
func monitorBytes(d time.Duration, s codec.PatientState) []byte {
	h := NewMIBHost()
	e := NewEmulator(codec.Config{}).(*Emulator)
	var dec Decoder
	var out []byte
	toEmu := h.Open(t0)
	for now := t0; now.Before(t0.Add(d)); now = now.Add(50 * time.Millisecond) {
		var from [][]byte
		for _, f := range toEmu {
			from = append(from, e.Receive(f, now)...)
		}
		toEmu = nil
		from = append(from, e.Tick(now, s)...)
		for _, f := range from {
			out = append(out, f...)
			dec.Feed(f)
			for dec.Scan() {
				toEmu = append(toEmu, h.Received(dec.Record(), now)...)
			}
		}
		toEmu = append(toEmu, h.Tick(now)...)
	}
	return out
}

var goldenStreams = []codectest.GoldenStream{
	{Name: "mp_stable_adult", What: "6 s of a stable adult: accept, MDS create, numerics every 1,024 ms, ECG II every 256 ms, the answer to a keep-alive", Make: func() []byte {
		return monitorBytes(6*time.Second, codectest.StableAdult())
	}},
	{Name: "mp_damaged", What: "the same 3 s joined mid-frame, with noise, a flipped byte (bad FCS), an aborted frame (7D C1) and a cut frame", Make: func() []byte {
		b := monitorBytes(3*time.Second, codectest.StableAdult())
		out := append([]byte(nil), b[5:400]...)
		out = append(out, "\x00\xff\x13\x11"...)
		mid := append([]byte(nil), b[400:1200]...)
		mid[300] ^= 0x02
		out = append(out, mid...)
		out = append(out, b[1200:1250]...)
		out = append(out, 0x7D, 0xC1) // the sender aborts
		out = append(out, b[1250:1300]...)
		out = append(out, 0xC0) // a new frame starts before the old one ended
		return append(out, b[1600:]...)
	}},
	{Name: "mp_leads_off", What: "3 s with the ECG leads off: HR invalid (NaN), ECG arrays invalid with every sample marked, the rest valid", Make: func() []byte {
		s := codectest.StableAdult()
		s.LeadsOff = true
		return monitorBytes(3*time.Second, s)
	}},
	{Name: "mp_demo", What: "2 s of a monitor in demo mode: every value and wave is demo", Make: func() []byte {
		s := codectest.StableAdult()
		s.Demo = true
		return monitorBytes(2*time.Second, s)
	}},
}

type goldenLine struct {
	Record       string               `json:"record"`
	Invoke       uint16               `json:"invoke,omitempty"`
	Sequence     uint16               `json:"sequence,omitempty"`
	Class        uint16               `json:"class,omitempty"` // polled object type: 6 numerics, 9 RTSA, 33 MDS
	Observations []vitals.Observation `json:"observations,omitempty"`
	Waves        []waveSummary        `json:"waves,omitempty"`
}

type waveSummary struct {
	Kind    vitals.WaveKind `json:"kind"`
	Channel string          `json:"channel"`
	Rate    float64         `json:"rate"`
	Unit    vitals.Unit     `json:"unit"`
	N       int             `json:"n"`
	First   []float64       `json:"first"`
	Quality vitals.Quality  `json:"quality"`
	LeadOff bool            `json:"lead_off,omitempty"`
	Pacer   bool            `json:"pacer,omitempty"`
}

func decodeGolden(t *testing.T, data []byte) []byte {
	c := NewCodec(codec.Config{DeviceID: "mp-golden"})
	c.Feed(data)
	host := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for c.Scan() {
		line := goldenLine{Record: fmt.Sprintf("%T", c.Record()), Observations: c.Observations(host)}
		switch r := c.Record().(type) {
		case *PollResult:
			line.Invoke, line.Sequence, line.Class = r.InvokeID, r.Sequence, r.ObjectType
		case *MDSCreateEvent:
			line.Invoke = r.InvokeID
		}
		for _, w := range c.Waves(host) {
			ws := waveSummary{Kind: w.Kind, Channel: w.Channel, Rate: w.Rate, Unit: w.Unit, N: len(w.Samples), Quality: w.Quality, LeadOff: w.LeadOff, Pacer: w.Pacer}
			for _, v := range w.Samples[:min(4, len(w.Samples))] {
				if math.IsNaN(v) {
					continue // JSON has no NaN; N still counts the sample
				}
				ws.First = append(ws.First, float64(int(v*1e4+0.5*sign(v)))/1e4)
			}
			line.Waves = append(line.Waves, ws)
		}
		require.NoError(t, enc.Encode(line))
	}
	require.NoError(t, enc.Encode(c.Stats()))
	return buf.Bytes()
}

func sign(v float64) float64 {
	if v < 0 {
		return -1
	}
	return 1
}

// TestGoldenDecodes decodes the recordings under testdata/ and compares
// with the golden JSON Lines. Run with -update to regenerate both the
// recordings and the golden files (then check the diff by hand).
func TestGoldenDecodes(t *testing.T) {
	codectest.GoldenDecodes(t, goldenStreams, decodeGolden)
}

// A monitor profile set to the wrong protocol must show as errors.
func TestAStreamOfAnotherProtocolIsErrorsNotSilence(t *testing.T) {
	codectest.ForeignStreams(t, "intellivue", func() codec.Decoder { return NewCodec(codec.Config{}) }, "records")
}

// The recordings, damage included, decode the same whole, byte by byte
// and in random pieces.
func TestRecordingsDecodeTheSameInAnySplit(t *testing.T) {
	codectest.RecordingsInAnySplit(t, goldenStreams, func() codec.Decoder { return NewCodec(codec.Config{DeviceID: "split"}) },
		func(t *testing.T) codectest.Splits {
			return codectest.Splits{Records: "records", Seed: 17, MaxPiece: 300, Copy: reencode(t)}
		})
}
