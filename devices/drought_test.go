package devices

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/legevakt/workstation/capped/cappedtest"
	"github.com/legevakt/workstation/protocols/codec"
)

// masimoLine is one valid Radical-7 ASCII 1 line (a frame).
const masimoLine = "11/22/26 09:00:00 SN=0000093112 SPO2=097% BPM=072 PI=01.25% SPCO=--.-% SPMET=--.-% DESAT=-- PIDELTA=+-- PVI=--- ALARM=0000 EXC=000000\r\n"

// Decode of a file gives up on bytes that form no frame for
// MaxFileBytesWithoutFrame, at the start and after good frames alike, with
// ErrNotThisProtocol (exit 1 in decode, replay, verify, dissect).
func TestDecodeGivesUpOnAStreamWithoutFrames(t *testing.T) {
	for name, prefix := range map[string]string{
		"from the start":   "",
		"after two frames": masimoLine + masimoLine,
	} {
		t.Run(name, func(t *testing.T) {
			src := cappedtest.EndlessAfter([]byte(prefix), []byte("no frame here "), 0)
			err := cappedtest.Refuses(t, src, ErrNotThisProtocol, func() error {
				_, err := Decode(src, DecodeConfig{Protocol: "masimo"}, DecodeHandler{})
				return err
			})
			if !strings.Contains(err.Error(), "without a frame") {
				t.Errorf("error %q: want the bytes without a frame named", err)
			}
			if src.BytesRead() > 2*MaxFileBytesWithoutFrame {
				t.Errorf("read %d bytes, want about %d", src.BytesRead(), MaxFileBytesWithoutFrame)
			}
		})
	}
}

// A live session's decoder (MaxBytesWithoutFrame zero) never gives up:
// a device sending noise is shown as such.
func TestALiveStreamDecoderNeverGivesUp(t *testing.T) {
	proto, err := LookupProtocol("masimo")
	if err != nil {
		t.Fatal(err)
	}
	sd := NewStreamDecoder(proto, proto.NewCodec(codec.Config{DeviceID: "m"}), StreamHandler{})
	noise := bytes.Repeat([]byte("no frame here "), 64<<10)
	// Past the bound at which a file read gives up, and no further.
	for fed := 0; fed <= MaxFileBytesWithoutFrame; fed += len(noise) {
		if err := sd.Chunk(noise, time.Time{}); err != nil {
			t.Fatalf("after %d bytes: %v", fed, err)
		}
	}
	if err := sd.Chunk([]byte(masimoLine), time.Time{}); err != nil || errors.Is(err, ErrNotThisProtocol) {
		t.Fatal(err)
	}
}
