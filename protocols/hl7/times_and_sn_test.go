package hl7

import (
	"strings"
	"testing"
	"time"

	"github.com/legevakt/workstation/triage/vitals"
)

func parseSegments(t *testing.T, segs ...string) Message {
	t.Helper()
	m, bad, err := ParseMessage([]byte(strings.Join(segs, "\r") + "\r"))
	if err != nil || bad != 0 {
		t.Fatalf("parse: bad=%d err=%v", bad, err)
	}
	return m
}

// An OBX without OBX-14 takes the time of its own OBR group (OBR-7), not
// the first OBR of the message.
func TestOBR7OfTheOwnGroup(t *testing.T) {
	m := parseSegments(t,
		`MSH|^~\&|MON|WARD|TRIAGE|LEGEVAKT|20261122103000+0000||ORU^R01^ORU_R01|42|P|2.6|||AL|NE`,
		`OBR|1|||182777000^monitoring of patient^SCT|||20261122103000+0000`,
		`OBX|1|NM|147842^MDC_ECG_HEART_RATE^MDC|1.3.1.147842|72|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R`,
		`OBR|2|||182777000^monitoring of patient^SCT|||20261122090000+0000`,
		`OBX|2|NM|150301^MDC_PRESS_CUFF_SYS^MDC|1.3.1.150301|121|266016^MDC_DIM_MMHG^MDC|||||R`,
	)
	obs := Observations(m, time.Date(2026, 11, 22, 10, 30, 1, 0, time.UTC))
	if len(obs) != 2 {
		t.Fatalf("got %d observations", len(obs))
	}
	want := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	if obs[1].Kind != vitals.SBP || !obs[1].DeviceTime.Equal(want) {
		t.Errorf("NIBP under the second OBR: device time %v, want its OBR-7 %v", obs[1].DeviceTime, want)
	}
}

// An OBX-14 that is present but unreadable must not be silently replaced by
// the message time (MSH-7): the value's age is unknown, so it is not valid.
func TestUnreadableOBX14IsNotValid(t *testing.T) {
	m := parseSegments(t,
		`MSH|^~\&|MON|WARD|TRIAGE|LEGEVAKT|20261122103000+0000||ORU^R01^ORU_R01|42|P|2.6|||AL|NE`,
		`OBX|1|NM|150301^MDC_PRESS_CUFF_SYS^MDC|1.3.1.150301|121|266016^MDC_DIM_MMHG^MDC|||||R|||2026-11-22T08:00:00Z||APERIODIC`,
	)
	obs := Observations(m, time.Date(2026, 11, 22, 10, 30, 1, 0, time.UTC))
	if len(obs) != 1 {
		t.Fatalf("got %d observations", len(obs))
	}
	if obs[0].Quality == vitals.Valid {
		t.Errorf("OBX-14 unreadable: quality %s with device time %v (MSH-7), want not valid", obs[0].Quality, obs[0].DeviceTime)
	}
}

// A structured numeric with a separator/suffix (a range 100-120, a ratio,
// or the suffix "+", "100 or more") is not an exact value.
func TestStructuredNumericRangeIsNotExact(t *testing.T) {
	for _, v := range []string{`^100^-^120`, `^100^+`, `^1^:^2`} {
		m := parseSegments(t,
			`MSH|^~\&|MON|WARD|TRIAGE|LEGEVAKT|20261122103000+0000||ORU^R01^ORU_R01|42|P|2.6|||AL|NE`,
			`OBX|1|SN|8867-4^HR^LN||`+v+`|/min|||||F`,
		)
		obs := Observations(m, time.Time{})
		if len(obs) == 1 && obs[0].Quality == vitals.Valid {
			t.Errorf("SN %q: HR %v is %s, want not valid", v, obs[0].Value, obs[0].Quality)
		}
	}
}
