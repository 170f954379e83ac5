package capture

import (
	"bytes"
	"encoding/binary"
	"io"
	"testing"
	"time"

	"github.com/legevakt/workstation/capped/cappedtest"
)

// A header or chunk length that claims more than the limits is refused
// before anything is allocated for it, also when the bytes behind it never
// end; a stream of chunks that never ends is read one chunk at a time.
func TestLyingLengthsAndEndlessStreamsStayBounded(t *testing.T) {
	head := encode(t, sampleHeader(), nil)
	chunk := func(n uint32) []byte {
		b := []byte{byte(FromDevice)}
		b = binary.LittleEndian.AppendUint64(b, uint64(time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC).UnixNano()))
		return binary.LittleEndian.AppendUint32(b, n)
	}
	t.Run("header length 2 GiB, then endless bytes", func(t *testing.T) {
		src := cappedtest.EndlessAfter(append([]byte("LVCAP\x00\x01\x00"), 0xff, 0xff, 0xff, 0x7f), []byte{'x'}, 0)
		cappedtest.Refuses(t, src, ErrCorrupt, func() error { _, err := NewReader(src); return err })
	})
	t.Run("chunk length 4 GiB, then endless bytes", func(t *testing.T) {
		src := cappedtest.EndlessAfter(append(append([]byte(nil), head...), chunk(0xffffffff)...), []byte{'x'}, 0)
		cappedtest.Refuses(t, src, ErrCorrupt, func() error {
			r, err := NewReader(src)
			if err != nil {
				return err
			}
			_, err = r.Next()
			return err
		})
	})
	t.Run("endless chunks at the limit", func(t *testing.T) {
		var one bytes.Buffer
		w, err := NewWriter(&one, sampleHeader())
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		one.Reset()
		if err := w.Write(Chunk{Time: time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC), Dir: FromDevice, Data: bytes.Repeat([]byte{'x'}, MaxChunk)}); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		// 24 chunks of 1 MiB: three times the memory allowed below, so a
		// reader that kept what it read fails; it was 256, a tenth of the
		// test's time under the race detector asserting the same.
		const chunks = 24
		src := cappedtest.EndlessAfter(head, one.Bytes(), int64(len(head)+chunks*one.Len()))
		r, err := NewReader(src)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		held := cappedtest.Held(func() {
			for {
				if _, err := r.Next(); err != nil {
					if err != io.EOF || n != chunks {
						t.Errorf("after %d chunks of %d: %v", n, chunks, err)
					}
					return
				}
				n++
			}
		})
		if held >= 8<<20 {
			t.Errorf("held %d MB reading chunks of 1 MiB one at a time", held>>20)
		}
	})
}
