package ecgfile

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/legevakt/workstation/protocols/ecg12"
	"github.com/legevakt/workstation/protocols/ecg12/aecg"
	"github.com/legevakt/workstation/protocols/ecg12/dicom"
	"github.com/legevakt/workstation/protocols/ecg12/muse"
	"github.com/legevakt/workstation/protocols/ecg12/scp"
	"github.com/legevakt/workstation/protocols/ecg12/sierra"
)

// Each importer has its own fuzz target with seeds of 12 samples per lead,
// small enough that the fuzzer mutates rather than minimises. An accepted
// input must give a valid recording within the sample budget; any input
// must return rather than panic or hang.
func fuzzImporter(f *testing.F, decode func([]byte) (*ecg12.Recording, error), seeds ...[]byte) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		rec, err := decode(b)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		if err := rec.Validate(); err != nil {
			t.Fatalf("accepted an invalid recording: %v", err)
		}
		if rec.Len()*len(rec.Leads) > ecg12.MaxTotalSamples+4*rec.Len() {
			t.Fatalf("%d leads of %d samples exceed the budget", len(rec.Leads), rec.Len())
		}
	})
}

func FuzzAECG(f *testing.F) { fuzzImporter(f, aecg.Decode, tinySynth().aecg()) }
func FuzzMUSE(f *testing.F) { fuzzImporter(f, muse.Decode, tinySynth().muse()) }
func FuzzSierra(f *testing.F) {
	fuzzImporter(f, sierra.Decode, tinySynth().sierra(), tinySynth().sierraXLI())
}
func FuzzDICOM(f *testing.F) { fuzzImporter(f, dicom.Decode, tinySynth().dicom()) }
func FuzzSCP(f *testing.F) {
	s := tinySynth()
	// The second seed is a record whose length field is below a header's (a
	// crash the fuzzer found).
	fuzzImporter(f, scp.Decode, s.scp(true), []byte("\x00\x00\x01\x00\x00\x00"+strings.Repeat("\x00", 16)))
}

// FuzzSCPBehindTheCRCs gives the SCP importer any record with its length
// and every CRC made right (refreshSCP), so that the fuzzer's mutations
// reach the sections, the Huffman tables and the lead data behind the
// record CRC (in FuzzSCP nearly every mutation breaks the CRC and ends
// there).
func FuzzSCPBehindTheCRCs(f *testing.F) {
	s := tinySynth()
	fuzzImporter(f, func(b []byte) (*ecg12.Recording, error) {
		b = bytes.Clone(b)
		if len(b) >= 6 { // shorter has no length and CRC to make right
			binary.LittleEndian.PutUint32(b[2:], uint32(len(b)))
			refreshSCP(b)
		}
		return scp.Decode(b)
	}, s.scp(true), s.scp(false))
}

// FuzzDecode runs the format recognition in front of every importer.
func FuzzDecode(f *testing.F) {
	s := tinySynth()
	fuzzImporter(f, Decode, s.aecg(), s.scp(true), s.dicom(), []byte("<RestingECG/>"))
}
