package nonin_test

import (
	"fmt"
	"time"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/protocols/nonin"
)

// A DF2 packet of 25 frames gives pulse rate, SpO2 and 25 pleth samples.
func Example() {
	var pleth [nonin.FramesPerPacket]byte
	p := nonin.NewPacket(nonin.Values{HR: 130, SpO2: 95}, pleth, nonin.StatusGreenPerfusion)
	dec := nonin.NewCodec(codec.Config{DeviceID: "finger-1"})
	dec.Feed(nonin.AppendPacket(nil, p))
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	for dec.Scan() {
		for _, o := range dec.Observations(now) {
			fmt.Println(o)
		}
		w := dec.Waves(now)[0]
		fmt.Println(w.Kind, w.Rate, len(w.Samples))
	}
	// Output:
	// pr 130 /min (valid, finger-1)
	// spo2 95 % (valid, finger-1)
	// pleth 75 25
}
