package call

import (
	"testing"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/workstation/phonecall"
)

// An earlier contact in the caller's history is worded as the queue
// board words it: a call by the level told, a phone encounter without a
// call record and a walk-in by the level of its colour (never "BLUE" or
// "BLÅ": the phone screen names no colour); in both languages, and an
// untriaged one blank.
func TestEarlierContactsAreWordedAsTheQueueWordsThem(t *testing.T) {
	colourWords := map[string]bool{}
	for _, c := range triage.Colours {
		for _, l := range wording.Langs {
			colourWords[c.Label(l)] = true
		}
	}
	for _, l := range wording.Langs {
		ctx := newTestContext(l, true)
		for _, c := range append(append([]triage.Colour{}, triage.Colours...), triage.Colour(9)) {
			phoneText := contactLabel(ctx, phonecall.Contact{Channel: phonecall.Phone, Triaged: true, Colour: c})
			lvl, _ := phone.ParseLevel(phonecall.LevelOfColour(c))
			want := lvl.Label(l)
			if int(c) >= len(triage.Colours) {
				want = wording.Level("", l)
			}
			if phoneText != want || colourWords[phoneText] {
				t.Errorf("%s: a phone contact coloured %d reads %q, want %q", l, c, phoneText, want)
			}
			// A walk-in too: the phone screen names levels, never colours
			// (QA F9 item 5), by the level its colour stands for.
			if walkIn := contactLabel(ctx, phonecall.Contact{Channel: phonecall.WalkIn, Triaged: true, Colour: c}); walkIn != want || colourWords[walkIn] {
				t.Errorf("%s: a walk-in coloured %d reads %q, want %q", l, c, walkIn, want)
			}
		}
		if s := contactLabel(ctx, phonecall.Contact{Channel: phonecall.Phone}); s != "" {
			t.Errorf("%s: an untriaged contact reads %q", l, s)
		}
	}
}
