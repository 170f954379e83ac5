package devices

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/legevakt/workstation/capped/cappedtest"
	"github.com/legevakt/workstation/devices/scenario"
	"github.com/legevakt/workstation/protocols/capture"
	"github.com/legevakt/workstation/protocols/codec"
)

// deviceBytes is what the profile's simulated device sends in length.
func deviceBytes(t *testing.T, prof Profile, length time.Duration) []byte {
	t.Helper()
	sc, err := scenario.Builtin("stable-adult")
	if err != nil {
		t.Fatal(err)
	}
	var capBuf bytes.Buffer
	w, err := capture.NewWriter(&capBuf, capture.Header{Protocol: prof.Protocol})
	if err != nil {
		t.Fatal(err)
	}
	if err := SimulateCapture(prof, sc, time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC), length, w); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	r, err := capture.NewReader(&capBuf)
	if err != nil {
		t.Fatal(err)
	}
	var out []byte
	for {
		c, err := r.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if c.Dir == capture.FromDevice {
			out = append(out, c.Data...)
		}
	}
}

// Every protocol's decoder, over its own device's bytes with every
// 4-byte window in turn overwritten by 0xFF or 0x7F (a length or count
// field that claims the most it can, wherever the fields are), holds
// under the memory bound and never panics; and over bytes that never
// form a frame (a frame opened and never closed, a run of one byte
// value) a file read ends with ErrNotThisProtocol within
// MaxFileBytesWithoutFrame.
func TestEveryDecoderSurvivesLyingLengthsAndEndlessBytes(t *testing.T) {
	seen := map[string]bool{}
	for _, prof := range Profiles() {
		proto, err := LookupProtocol(prof.Protocol)
		if err != nil || proto.NewEmulator == nil || seen[proto.Name] {
			continue
		}
		seen[proto.Name] = true
		t.Run(prof.Name+"/lying lengths", func(t *testing.T) {
			clean := deviceBytes(t, prof, 3*time.Second)
			if len(clean) > 1536 {
				clean = clean[:1536] // a few frames of every protocol
			}
			held := cappedtest.Held(func() {
				for _, lie := range []byte{0xFF, 0x7F} {
					for i := 0; i+4 <= len(clean); i++ {
						b := append([]byte(nil), clean...)
						copy(b[i:], []byte{lie, lie, lie, lie})
						sd := NewStreamDecoder(proto, proto.NewCodec(codec.Config{DeviceID: "d", SampleRate: prof.SampleRate}), StreamHandler{})
						if err := sd.Chunk(b, time.Time{}); err != nil {
							t.Fatalf("window %d: %v", i, err)
						}
					}
				}
			})
			if held >= cappedtest.MemoryBound {
				t.Errorf("held %d MB", held>>20)
			}
		})
		t.Run(prof.Name+"/endless bytes", func(t *testing.T) {
			clean := deviceBytes(t, prof, 3*time.Second)
			// The first byte of the device's stream opens a frame in every
			// protocol; after it come bytes that never close it.
			for _, word := range [][]byte{{0x00}, {0xFF}, {'x'}, {'1'}, {'\r'}, {0x7E}, {0xC0}, {0x0B}, clean[:1]} {
				t.Run(fmt.Sprintf("%x", word), func(t *testing.T) {
					src := cappedtest.EndlessAfter(clean[:1], word, 0)
					var err error
					held := cappedtest.Held(func() {
						_, err = Decode(src, DecodeConfig{Protocol: proto.Name, SampleRate: prof.SampleRate}, DecodeHandler{})
					})
					if !errors.Is(err, ErrNotThisProtocol) {
						t.Errorf("error %v, want ErrNotThisProtocol", err)
					}
					if held >= cappedtest.MemoryBound {
						t.Errorf("held %d MB", held>>20)
					}
					if src.BytesRead() > 2*MaxFileBytesWithoutFrame {
						t.Errorf("read %d MB", src.BytesRead()>>20)
					}
				})
			}
		})
	}
}
