package codec_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/legevakt/workstation/protocols/codec"
)

func TestRefill(t *testing.T) {
	cases := []struct {
		name     string
		buf      string
		pos      int
		p        string
		want     string
		wantPos  int
		sameBack bool // the result shares the original backing array
	}{
		{"an empty buffer takes the new bytes", "", 0, "ab", "ab", 0, false},
		{"a buffer read to the end starts over", "abcd", 4, "ef", "ef", 0, true},
		{"unread bytes behind a read half move to the front", "abcd", 2, "ef", "cdef", 0, true},
		{"a read part under half stays where it is", "abcdef", 2, "g", "abcdefg", 2, false},
		{"nothing read keeps everything", "abc", 0, "d", "abcd", 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			buf := make([]byte, len(tc.buf), 16)
			copy(buf, tc.buf)
			got, pos := codec.Refill(buf, tc.pos, []byte(tc.p))
			assert.Equal(t, tc.want, string(got), "buffer after Refill")
			assert.Equal(t, tc.wantPos, pos, "read position after Refill")
			assert.Equal(t, string(got[pos:]), tc.want[tc.wantPos:], "the unread bytes")
			if tc.sameBack {
				assert.Equal(t, &buf[:1][0], &got[:1][0], "the buffer is reused, not reallocated")
			}
		})
	}
}

func TestRefillKeepsMemoryBoundedUnderAnySplit(t *testing.T) {
	var buf []byte
	pos := 0
	for i := range 10000 {
		buf, pos = codec.Refill(buf, pos, []byte("0123456789"))
		// A reader that always leaves the last 3 bytes unread, as a decoder
		// waiting for the rest of a frame does.
		pos = max(pos, len(buf)-3)
		assert.LessOrEqual(t, cap(buf), 64, "after %d feeds the buffer holds %d bytes", i, cap(buf))
	}
}
