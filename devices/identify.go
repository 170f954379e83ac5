package devices

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/legevakt/workstation/protocols/capture"
	"github.com/legevakt/workstation/protocols/codec"
)

// IdentifyThreshold is the score from which Identify's best guess is
// named as the protocol of the bytes (see Likely).
const IdentifyThreshold = 0.3

// Likely returns the protocol the scores name: the best, when it reaches
// IdentifyThreshold and scores at least twice the second.
func Likely(scores []Score) (Score, bool) {
	if len(scores) == 0 || scores[0].Score < IdentifyThreshold {
		return Score{}, false
	}
	if len(scores) > 1 && scores[0].Score < 2*scores[1].Score {
		return Score{}, false
	}
	return scores[0], true
}

// IdentifyLimit is how many bytes Identify reads at most: a few seconds of
// any protocol, so scoring every protocol stays quick on a large file.
const IdentifyLimit = 1 << 20

// Score is how well bytes fit one protocol.
type Score struct {
	Protocol string `json:"protocol"`
	// Score is 0 (nothing fits) to 1 (every byte in well-formed frames, a
	// long run of them trusted, checksums where the protocol has them).
	Score float64 `json:"score"`
	// Frames decoded well-formed, Records delivered, Errors counted (all
	// kinds), Trusted records (after a run of well-formed ones).
	Frames  uint64 `json:"frames"`
	Records int    `json:"records"`
	Errors  uint64 `json:"errors"`
	Trusted int    `json:"trusted_records"`
	// Covered is the fraction of the bytes inside well-formed frames.
	Covered float64 `json:"covered"`
	// Checksummed says the frames carried a checksum that held.
	Checksummed bool `json:"checksummed"`
	// Evidence says in words why, e.g. "42 frames with valid checksums,
	// 97 % of the bytes, 0 errors".
	Evidence string `json:"evidence"`
}

// Identify scores every registered protocol on data (the bytes a device
// sent) and returns the scores, best first. Ties go to the protocol with
// checksums, then by name.
func Identify(data []byte) []Score {
	if len(data) > IdentifyLimit {
		data = data[:IdentifyLimit]
	}
	var out []Score
	for _, name := range ProtocolNames() {
		out = append(out, scoreProtocol(protocols[name], data))
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		if out[i].Checksummed != out[j].Checksummed {
			return out[i].Checksummed
		}
		return out[i].Protocol < out[j].Protocol
	})
	return out
}

// scoreProtocol decodes data with p, tracing frames to measure how many of
// the bytes sit in well-formed frames.
func scoreProtocol(p Protocol, data []byte) Score {
	sc := Score{Protocol: p.Name}
	if len(data) == 0 {
		sc.Evidence = "no bytes"
		return sc
	}
	var covered uint64
	trusted := 0
	afterFrame := false // the previous step ended a frame, not an error
	sd := NewStreamDecoder(p, p.NewCodec(codec.Config{DeviceID: p.Name}), StreamHandler{
		Trace: func(tr Trace) error {
			// A frame right after another covers its bytes; the first one
			// after an error also spans the bytes dropped while hunting.
			breaking := false
			for _, k := range tr.Errors {
				breaking = breaking || k == codec.ErrFraming || k == codec.ErrChecksum || k == codec.ErrLength
			}
			if tr.Frames > 0 && !breaking && (afterFrame || tr.Start == 0) {
				covered += tr.End - tr.Start
			}
			if breaking || tr.Frames > 0 {
				afterFrame = tr.Frames > 0 && !breaking
			}
			if tr.Record != nil && tr.Trusted {
				trusted++
			}
			return nil
		},
	})
	_ = sd.Chunk(data, time.Time{})
	st := sd.Stats()
	sc.Frames, sc.Records, sc.Errors, sc.Trusted = st.Frames, sd.Records, st.TotalErrors(), trusted
	sc.Covered = float64(covered) / float64(len(data))
	sc.Checksummed = p.Checksummed && st.Frames > 0
	// The score is the share of the bytes in well-formed frames, held
	// down while no record reached the trust run.
	score := sc.Covered
	if trusted == 0 {
		score *= 0.25
	}
	sc.Score = float64(int(score*1000+0.5)) / 1000
	var ev []string
	kind := "frames"
	if sc.Checksummed {
		kind = "frames with valid checksums"
	}
	ev = append(ev, fmt.Sprintf("%d %s", st.Frames, kind))
	ev = append(ev, fmt.Sprintf("%.0f %% of the bytes", 100*sc.Covered))
	ev = append(ev, fmt.Sprintf("%d records, %d after a run of well-formed ones", sd.Records, trusted))
	var errs []string
	for _, k := range codec.ErrorKinds() {
		if n := st.ErrorCount(k); n > 0 {
			errs = append(errs, fmt.Sprintf("%d %s", n, k))
		}
	}
	if len(errs) == 0 {
		ev = append(ev, "no errors")
	} else {
		ev = append(ev, "errors: "+strings.Join(errs, ", "))
	}
	sc.Evidence = strings.Join(ev, "; ")
	return sc
}

// DeviceBytes reads what the device sent from r: all bytes of a raw dump,
// or the device's chunks of a capture file; at most limit bytes.
func DeviceBytes(r io.Reader, limit int) ([]byte, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(8)
	if !capture.IsCapture(head) {
		return io.ReadAll(io.LimitReader(br, int64(limit)))
	}
	cr, err := capture.NewReader(br)
	if err != nil {
		return nil, err
	}
	var out []byte
	for len(out) < limit {
		c, err := cr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return out, err
		}
		if c.Dir == capture.FromDevice {
			out = append(out, c.Data[:min(len(c.Data), limit-len(out))]...)
		}
	}
	return out, nil
}

// Listen opens the port at path with prof's line settings (exclusively),
// drops what waited in its buffer, and returns what arrives within d (at
// most limit bytes). It never writes to the port.
func Listen(path string, prof Profile, d time.Duration, limit int) ([]byte, error) {
	port, err := OpenSerial(path, prof)
	if err != nil {
		return nil, err
	}
	defer port.Close()
	flushInput(port)
	if err := port.SetReadTimeout(100 * time.Millisecond); err != nil {
		return nil, err
	}
	end := time.Now().Add(d)
	buf := make([]byte, 4096)
	var out []byte
	for time.Now().Before(end) && len(out) < limit {
		n, err := port.Read(buf)
		out = append(out, buf[:min(n, limit-len(out))]...)
		if err != nil {
			return out, err
		}
	}
	return out, nil
}
