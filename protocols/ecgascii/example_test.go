package ecgascii_test

import (
	"fmt"
	"time"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/protocols/ecgascii"
)

// Each line is one ECG sample at the configured rate; "!" is leads off.
func Example() {
	dec := ecgascii.NewCodec(codec.Config{DeviceID: "ad8232", SampleRate: 200})
	dec.Feed([]byte("512\r\n640\r\n!\r\n"))
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	for dec.Scan() {
		w := dec.Waves(now)[0]
		fmt.Println(w.Rate, w.Samples, w.LeadOff, w.Quality)
	}
	// Output:
	// 200 [512] false valid
	// 200 [640] false valid
	// 200 [NaN] true invalid
}
