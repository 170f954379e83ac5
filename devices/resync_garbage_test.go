package devices

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/legevakt/workstation/protocols/codec"
)

// garbageRounds is how many random bursts each protocol's stream gets, and
// maxLostToGarbage how many of its records a burst may cost: the frame the
// burst lands in and the one after it (a burst can open a frame that
// swallows the start of the next), with one to spare for a record whose
// content depends on the one before (datex reports a blood pressure as new
// the first time it sees one).
const (
	garbageRounds    = 60
	maxLostToGarbage = 3
)

// maxGarbageRecords bounds the records of the stream the bursts go into:
// enough for a burst to land among them, few enough that a protocol of one
// sample a record stays quick under the race detector.
const maxGarbageRecords = 200

// Every protocol's decoder, given its own device's stream with a burst of
// random bytes (1 to 200, a wrong baud rate or a cable plugged in) put in
// at a random place, gives the stream's records again after the burst: at
// most maxLostToGarbage of its records are missing or changed. A record is
// compared by what it carries (the kinds of its values, its waves'
// channels and lengths), since a decoder that lost a frame may rightly say
// the next one differently (a wave without its scale is raw and
// questionable until the scale comes again). And the burst is never
// silent: it counts at least one error, unless every value decoded is
// what the clean stream gave (HL7 has no checksum: printable bytes in a
// field nobody reads change nothing and cannot be told).
func TestEveryDecoderResynchronisesAfterRandomGarbage(t *testing.T) {
	for _, name := range recordingProfiles {
		t.Run(name, func(t *testing.T) {
			prof, err := LookupProfile(name)
			if err != nil {
				t.Fatal(err)
			}
			proto, err := LookupProtocol(prof.Protocol)
			if err != nil {
				t.Fatal(err)
			}
			clean := simulatedStream(t, name, "stable-adult", 20*time.Second)
			decode := func(b []byte, values bool) ([]string, codec.Stats) {
				return decodeRecords(proto.NewCodec(codec.Config{DeviceID: "d", SampleRate: prof.SampleRate}), b, values)
			}
			want, _ := decode(clean, false)
			if len(want) > maxGarbageRecords { // a wave protocol: a sample a record
				clean = clean[:len(clean)*maxGarbageRecords/len(want)]
				want, _ = decode(clean, false)
			}
			if len(want) < 3*maxLostToGarbage {
				t.Fatalf("the clean stream gives %d records, too few to tell a resynchronisation", len(want))
			}
			rng := rand.New(rand.NewPCG(8, uint64(len(name))))
			for round := range garbageRounds {
				burst := make([]byte, 1+rng.IntN(200))
				for i := range burst {
					burst[i] = byte(rng.UintN(256))
				}
				at := rng.IntN(len(clean) + 1)
				stream := slices.Concat(clean[:at], burst, clean[at:])
				got, st := decode(stream, false)
				if st.TotalErrors() == 0 && !sameValues(decode, clean, stream) {
					t.Errorf("round %d: %d random bytes at byte %d of %d counted no error and changed what was decoded", round, len(burst), at, len(clean))
				}
				if lost := lostRecords(want, got); lost > maxLostToGarbage {
					t.Errorf("round %d: %d random bytes at byte %d of %d cost %d of %d records, at most %d allowed", round, len(burst), at, len(clean), lost, len(want), maxLostToGarbage)
				}
			}
		})
	}
}

// decodeRecords decodes b and describes each record by what it carries
// or, with values, by every value it gives.
func decodeRecords(d codec.Decoder, b []byte, values bool) ([]string, codec.Stats) {
	host := time.Date(2026, 12, 8, 2, 0, 0, 0, time.UTC)
	d.Feed(b)
	var out []string
	for d.Scan() {
		obs, waves := d.Observations(host), d.Waves(host)
		if values {
			out = append(out, fmt.Sprintf("%+v %+v", obs, waves))
			continue
		}
		var parts []string
		for _, o := range obs {
			parts = append(parts, string(o.Kind))
		}
		slices.Sort(parts)
		for _, w := range waves {
			parts = append(parts, fmt.Sprintf("%s/%s×%d", w.Kind, w.Channel, len(w.Samples)))
		}
		out = append(out, strings.Join(parts, " "))
	}
	return out, d.Stats()
}

// sameValues reports whether a and b decode to the same values.
func sameValues(decode func([]byte, bool) ([]string, codec.Stats), a, b []byte) bool {
	va, _ := decode(a, true)
	vb, _ := decode(b, true)
	return slices.Equal(va, vb)
}

// lostRecords is how many records of want are not in got in the same
// order (want's length less the longest common subsequence): those the
// burst cost. The common start and end are taken first, so the table is
// only as large as the stretch the burst disturbed.
func lostRecords(want, got []string) int {
	for len(want) > 0 && len(got) > 0 && want[0] == got[0] {
		want, got = want[1:], got[1:]
	}
	for len(want) > 0 && len(got) > 0 && want[len(want)-1] == got[len(got)-1] {
		want, got = want[:len(want)-1], got[:len(got)-1]
	}
	if len(want)*len(got) > 1<<22 {
		return len(want) // too long a disturbance to align: all of it lost
	}
	prev, cur := make([]int, len(got)+1), make([]int, len(got)+1)
	for i := range want {
		for j := range got {
			switch {
			case want[i] == got[j]:
				cur[j+1] = prev[j] + 1
			default:
				cur[j+1] = max(prev[j+1], cur[j])
			}
		}
		prev, cur = cur, prev
	}
	return len(want) - prev[len(got)]
}
