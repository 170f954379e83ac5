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
	"github.com/legevakt/workstation/protocols/hl7"
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

// Every protocol's decoder, over its own device's bytes with a 4-byte
// window at every even offset in turn overwritten by 0xFF or 0x7F (a
// length or count field that claims the most it can, wherever the fields
// are: every 2-byte field is covered whole, every 4-byte one in the three
// bytes that hold its high byte, in either byte order), holds under the
// memory bound and never panics; and over bytes that never form a frame
// (a frame opened and never closed, a run of one byte value) the
// device-side decoder gives up with ErrNotThisProtocol within its bound of
// bytes without a frame, here endlessBound (the bound a file read uses,
// MaxFileBytesWithoutFrame, is TestDecodeGivesUpOnAStreamWithoutFrames').
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
					for i := 0; i+4 <= len(clean); i += 2 {
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
			words := []byte{0x00, 0xFF, 'x', '1', '\r', 0x7E, 0xC0, 0x0B}
			if !bytes.Contains(words, clean[:1]) {
				words = append(words, clean[0])
			}
			bound := endlessBound(proto.Name)
			for _, word := range words {
				t.Run(fmt.Sprintf("%02x", word), func(t *testing.T) {
					src := cappedtest.EndlessAfter(clean[:1], []byte{word}, 0)
					sd := NewStreamDecoder(proto, proto.NewCodec(codec.Config{DeviceID: "d", SampleRate: prof.SampleRate}), StreamHandler{})
					sd.MaxBytesWithoutFrame = bound
					var err error
					held := cappedtest.Held(func() {
						buf := make([]byte, 64<<10)
						for err == nil && src.BytesRead() <= 4*int64(bound) {
							n, rerr := src.Read(buf)
							if err = sd.Chunk(buf[:n], time.Time{}); err == nil && rerr != nil {
								err = rerr
							}
						}
					})
					if !errors.Is(err, ErrNotThisProtocol) {
						t.Errorf("after %d bytes: error %v, want ErrNotThisProtocol", src.BytesRead(), err)
					}
					if held >= cappedtest.MemoryBound {
						t.Errorf("held %d MB", held>>20)
					}
					if src.BytesRead() > 2*int64(bound) {
						t.Errorf("read %d KiB without a frame, the bound is %d KiB", src.BytesRead()>>10, bound>>10)
					}
				})
			}
		})
	}
}

// endlessBound is the bytes without a frame after which the endless-bytes
// test wants a protocol's decoder to have given up: twice the largest
// frame it accepts (HL7's MaxMessage), or 256 KiB, 30 times the largest
// of the others' (IntelliVue's MaxUserData). Far below the 4 MiB of a file
// read, so the test reads a sixteenth of the bytes and asserts the same.
func endlessBound(protocol string) uint64 {
	if protocol == "hl7" {
		return 2 * hl7.MaxMessage
	}
	return 256 << 10
}
