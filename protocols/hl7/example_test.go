package hl7_test

import (
	"fmt"
	"time"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/protocols/hl7"
)

// A receiver decodes an ORU^R01, maps its OBX to vitals and answers with
// the ACK the sender asked for in MSH-15.
func Example() {
	wire := "\x0bMSH|^~\\&|MON||||20261122100000+0100||ORU^R01|M1|P|2.6|||AL\r" +
		"OBX|1|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||96|262688^MDC_DIM_PERCENT^MDC|||||R\r\x1c\r"
	dec := hl7.NewCodec(codec.Config{DeviceID: "bed-4"})
	host := hl7.NewHost(codec.Config{})
	now := time.Date(2026, 11, 22, 9, 0, 1, 0, time.UTC)
	dec.Feed([]byte(wire))
	for dec.Scan() {
		for _, o := range dec.Observations(now) {
			fmt.Println(o)
		}
		for _, ack := range host.Received(dec.Record(), now) {
			fmt.Printf("%q\n", ack)
		}
	}
	// Output:
	// spo2 96 % (valid, bed-4)
	// "\vMSH|^~\\&|||MON||20261122090001+0000||ACK^R01^ACK|ACK1|P|2.6\rMSA|AA|M1\r\x1c\r"
}
