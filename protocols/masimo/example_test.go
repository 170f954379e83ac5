package masimo_test

import (
	"fmt"
	"time"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/protocols/masimo"
)

// An ASCII 1 line gives SpO2 and pulse rate, with quality from EXC.
func Example() {
	dec := masimo.NewCodec(codec.Config{DeviceID: "rad8"})
	dec.Feed([]byte("11/22/26 09:00:00 SN=0000093112 SPO2=093% BPM=102 PI=00.40% ALARM=0000 EXC=000004\r\n"))
	for dec.Scan() {
		for _, o := range dec.Observations(time.Date(2026, 11, 22, 9, 0, 1, 0, time.UTC)) {
			fmt.Println(o, o.DeviceTime.Format(time.TimeOnly))
		}
	}
	// Output:
	// spo2 93 % (questionable, rad8) 09:00:00
	// pr 102 /min (questionable, rad8) 09:00:00
}
