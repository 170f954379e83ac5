package masimo

import (
	"testing"
	"time"

	"github.com/legevakt/workstation/triage/vitals"
)

// ASCII 1 has no checksum. When the EXC word is on the line but cannot be
// read, the device's statement about the sensor is lost: the values must
// not come out valid (here the word was 000020, sensor off, hit by noise).
func TestUnreadableEXCIsNotValid(t *testing.T) {
	d := NewDecoder()
	d.Feed([]byte("11/22/26 09:00:00 SN=0000093112 SPO2=097% BPM=072 PI=01.25% ALARM=0000 EXC=0000#0\r\n"))
	if !d.Scan() {
		t.Fatal("no record")
	}
	for _, o := range Observations(d.Record(), time.Time{}) {
		if o.Quality == vitals.Valid {
			t.Errorf("%s %v is valid although EXC could not be read", o.Kind, o.Value)
		}
	}
}
