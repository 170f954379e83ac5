package ecgfile

import (
	"bytes"
	"testing"

	"github.com/legevakt/workstation/capped/cappedtest"
	"github.com/legevakt/workstation/protocols/ecg12"
)

// largest is the biggest input the importers accept (ecg12.MaxFileBytes):
// start, then word repeated to fill it (cut to the size).
func largest(start, word string) []byte {
	n := (ecg12.MaxFileBytes-len(start))/len(word) + 1
	return append([]byte(start), bytes.Repeat([]byte(word), n)...)[:ecg12.MaxFileBytes]
}

// The stand-in for an endless stream, for importers that take the file's
// bytes (ecgdrop.ReadFile refuses pipes and files over the cap): a file of
// the largest accepted size whose content goes on without ending (an
// element never closed, a digits list without end, a DICOM element that
// repeats). Each is refused with an error, holding under the bound.
func TestTheLargestAcceptedFileOfHostileContentIsRefusedInBoundedMemory(t *testing.T) {
	s := newSynth(200)
	// The DICOM file's own start: the preamble, DICM and the transfer
	// syntax (0002,0010), so the repeated elements after it are read.
	dicomStart := string(s.dicom()[:132+28])
	// Each input is made in its own subtest (64 MB each, not all at once).
	for _, tc := range []struct{ name, start, word string }{
		{"aecg elements never closed", `<?xml version="1.0"?><AnnotatedECG xmlns="urn:hl7-org:v3">`, "<component>"},
		{"muse nested without end", "<RestingECG>", "<Waveform>"},
		{"dicom repeated elements", dicomStart, "\x08\x00\x10\x00UL\x04\x00\x00\x00\x00\x00"},
		// A text or a start tag that never ends: the XML decoder buffers a
		// token whole (192 MB, 192 MB and 2 GB before ecgxml bounded them).
		{"aecg digits without end", `<?xml version="1.0"?><AnnotatedECG xmlns="urn:hl7-org:v3"><component><series><component><sequenceSet><component><sequence><value><digits>`, "12 "},
		{"muse waveform text without end", "<RestingECG><Waveform><LeadData><WaveFormData>", "QUJD"},
		{"sierra attributes without end", `<?xml version="1.0"?><restingecgdata><parsedwaveforms `, `a="1" `},
		{"sierra one endless attribute", `<?xml version="1.0"?><restingecgdata><parsedwaveforms a="`, "1"},
		{"scp repeated bytes", "", "\xff"},
		{"unknown bytes", "", "\x00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := largest(tc.start, tc.word)
			var err error
			held := cappedtest.Held(func() { _, err = Decode(data) })
			if err == nil {
				t.Fatal("imported")
			}
			if held >= cappedtest.MemoryBound {
				t.Errorf("held %d MB beside the %d MB input, want under %d MB", held>>20, len(data)>>20, cappedtest.MemoryBound>>20)
			}
			t.Logf("%d MB held: %v", held>>20, truncate(err.Error()))
		})
	}
}

func truncate(s string) string {
	if len(s) > 120 {
		return s[:120]
	}
	return s
}
