package ansarb_test

import (
	"fmt"
	"time"

	"github.com/legevakt/workstation/protocols/ansarb"
	"github.com/legevakt/workstation/protocols/codec"
)

// One ANSAR-B message gives the parameter lines as vitals and five waves.
func Example() {
	m := ansarb.Message{Params: []ansarb.Param{
		{Name: "HR", Values: []string{"72"}},
		{Name: "NIBP", Values: []string{"121", "75", "92", "80"}},
	}}
	for i := range m.ECG {
		m.ECG[i] = ansarb.ECGByte(0.5)
	}
	dec := ansarb.NewCodec(codec.Config{DeviceID: "ivy"})
	dec.Feed(ansarb.AppendMessage(nil, m))
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	for dec.Scan() {
		for _, o := range dec.Observations(now) {
			fmt.Println(o)
		}
		for _, w := range dec.Waves(now) {
			fmt.Println(w.Kind, w.Channel, w.Rate, w.Unit, w.Samples[0])
		}
	}
	// Output:
	// hr 72 /min (valid, ivy)
	// sbp 121 mm[Hg] (valid, ivy)
	// dbp 75 mm[Hg] (valid, ivy)
	// map 92 mm[Hg] (valid, ivy)
	// ecg ECG 200 mV 0.5
	// resp RESP 50 1 0
	// pleth PLETH 50 1 -86
	// invp P1 50 1 -80
	// invp P2 50 1 -251
}
