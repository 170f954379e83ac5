package codec

// Refill appends p to a decoder's input buffer buf, of which buf[:pos] has
// been read already, and returns the buffer and the new read position.
// Every streaming decoder under protocols/ keeps its input this way, so
// the policy lives here once: when everything was read the buffer starts
// over; otherwise the unread bytes move to the front once the read part is
// at least half of the buffer. Memory thus stays within twice the unread
// bytes plus one Feed, and each byte is moved at most once on average,
// however the stream is split.
func Refill(buf []byte, pos int, p []byte) ([]byte, int) {
	switch {
	case pos >= len(buf):
		buf = buf[:0]
	case pos > 0 && pos >= len(buf)/2:
		buf = buf[:copy(buf, buf[pos:])]
	default:
		return append(buf, p...), pos
	}
	return append(buf, p...), 0
}
