package devices

import (
	"bytes"
	"strings"
	"testing"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/protocols/hl7"
)

// An HL7 sender that writes every message with vitals in a unit of its own
// counts one value error a message, never more errors than frames: its
// stream is not taken for wrong line settings (rateHint) nor, read from a
// file, for another protocol (NotThisProtocol), while its readable values
// stay valid.
func TestAnHL7SendersOwnUnitInEveryMessageIsNotALineSettingsProblem(t *testing.T) {
	msg := strings.Join([]string{
		`MSH|^~\&|MON||||20261208020000||ORU^R01|1|P|2.6`,
		`OBX|1|NM|147842^MDC_ECG_HEART_RATE^MDC||72|beats^per^fortnight|||||R`,
		`OBX|2|NM|151562^MDC_RESP_RATE^MDC||14|breaths^per^fortnight|||||R`,
		`OBX|3|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||97|262688^MDC_DIM_PERCENT^MDC|||||R`,
	}, "\r")
	frame := append(append([]byte{hl7.StartBlock}, msg...), hl7.EndBlock, hl7.CarriageRet)
	stream := bytes.Repeat(frame, 20)

	proto, err := LookupProtocol("hl7")
	if err != nil {
		t.Fatal(err)
	}
	d := proto.NewCodec(codec.Config{DeviceID: "mon"})
	before := d.Stats()
	d.Feed(stream)
	for d.Scan() {
	}
	st := d.Stats()
	if st.Frames != 20 || st.ErrorCount(codec.ErrValue) != 20 || st.TotalErrors() != 20 {
		t.Fatalf("20 messages with two unknown units each: %d frames, %d value errors, %d errors; want 20, 20, 20", st.Frames, st.ErrorCount(codec.ErrValue), st.TotalErrors())
	}
	prof, err := LookupProfile("hl7")
	if err != nil {
		t.Fatal(err)
	}
	if h := rateHint(prof, st, before); h != "" {
		t.Errorf("a sender's own unit gave the hint %q", h)
	}
	sum, err := Decode(bytes.NewReader(stream), DecodeConfig{Protocol: "hl7"}, DecodeHandler{})
	if err != nil || NotThisProtocol(sum) {
		t.Errorf("the file read as another protocol: %v (%d valid values)", err, sum.Valid)
	}
}
