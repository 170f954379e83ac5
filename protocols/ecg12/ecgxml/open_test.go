package ecgxml

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/legevakt/workstation/protocols/ecg12"
)

func TestOpen(t *testing.T) {
	const f = ecg12.FormatMUSE
	for _, c := range []struct {
		name, doc, want string
	}{
		{"too large", strings.Repeat(" ", ecg12.MaxFileBytes+1), "at most"},
		{"not XML", "<a><b></a>", string(f)},
		{"other root", "<Other/>", "root element <Other>, want <RestingECG>"},
	} {
		_, rec, err := Open(f, []byte(c.doc), "RestingECG")
		if !errors.Is(err, ecg12.ErrCorrupt) || !strings.Contains(err.Error(), c.want) || rec != nil {
			t.Errorf("%s: err %v, rec %v; want ErrCorrupt naming %q", c.name, err, rec, c.want)
		}
	}
	root, rec, err := Open(f, []byte("<RestingECG><x/></RestingECG>"), "RestingECG")
	if err != nil || root.Child("x") == nil || rec.Format != f || !math.IsNaN(rec.DeviceMeasurements.RateBPM) {
		t.Fatalf("Open = %v, %+v, %v", root, rec, err)
	}
}
