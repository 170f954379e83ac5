package wfdb

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
)

// Code is an annotation type code (annot(5), ecgcodes.h).
type Code uint8

// Annotation codes of the WFDB library (ecgcodes.h). Codes 1-49 are
// stored in annotation files; 59-63 are pseudo-codes of the MIT format.
const (
	NotQRS   Code = 0  // not-QRS (not a real annotation)
	Normal   Code = 1  // N normal beat
	LBBB     Code = 2  // L left bundle branch block beat
	RBBB     Code = 3  // R right bundle branch block beat
	Aberr    Code = 4  // a aberrated atrial premature beat
	PVC      Code = 5  // V premature ventricular contraction
	Fusion   Code = 6  // F fusion of ventricular and normal beat
	NPC      Code = 7  // J nodal (junctional) premature beat
	APC      Code = 8  // A atrial premature contraction
	SVPB     Code = 9  // S premature or ectopic supraventricular beat
	VESC     Code = 10 // E ventricular escape beat
	NESC     Code = 11 // j nodal (junctional) escape beat
	Pace     Code = 12 // / paced beat
	Unknown  Code = 13 // Q unclassifiable beat
	Noise    Code = 14 // ~ signal quality change
	Arfct    Code = 16 // | isolated QRS-like artifact
	STCh     Code = 18 // s ST change
	TCh      Code = 19 // T T-wave change
	Systole  Code = 20 // * systole
	Diastole Code = 21 // D diastole
	Note     Code = 22 // " comment annotation
	Measure  Code = 23 // = measurement annotation
	PWave    Code = 24 // p P-wave peak
	BBB      Code = 25 // B left or right bundle branch block
	PaceSP   Code = 26 // ^ non-conducted pacer spike
	TWave    Code = 27 // t T-wave peak
	Rhythm   Code = 28 // + rhythm change
	UWave    Code = 29 // u U-wave peak
	Learn    Code = 30 // ? learning
	Flwav    Code = 31 // ! ventricular flutter wave
	VFOn     Code = 32 // [ start of ventricular flutter/fibrillation
	VFOff    Code = 33 // ] end of ventricular flutter/fibrillation
	AESC     Code = 34 // e atrial escape beat
	SVESC    Code = 35 // n supraventricular escape beat
	Link     Code = 36 // @ link to external data
	NAPC     Code = 37 // x non-conducted P-wave (blocked APB)
	PFus     Code = 38 // f fusion of paced and normal beat
	WFOn     Code = 39 // ( waveform onset
	WFOff    Code = 40 // ) waveform end
	RonT     Code = 41 // r R-on-T premature ventricular contraction
)

// MIT-format pseudo-codes (annot(5)): they modify the stream rather than
// name an event.
const (
	codeSkip = 59 // SKIP: a 32-bit time interval follows
	codeNum  = 60 // NUM: sets the num field of this and later annotations
	codeSub  = 61 // SUB: sets the subtype of the current annotation
	codeChn  = 62 // CHN: sets the chan field of this and later annotations
	codeAux  = 63 // AUX: I bytes of auxiliary data follow, padded to even
)

var mnemonics = [...]string{
	"", "N", "L", "R", "a", "V", "F", "J", "A", "S", "E", "j", "/", "Q", "~", "",
	"|", "", "s", "T", "*", "D", "\"", "=", "p", "B", "^", "t", "+", "u", "?",
	"!", "[", "]", "e", "n", "@", "x", "f", "(", ")", "r",
}

// String returns the standard mnemonic ("N", "V", "+", ...), or the
// number in brackets for codes without one.
func (c Code) String() string {
	if int(c) < len(mnemonics) && mnemonics[c] != "" {
		return mnemonics[c]
	}
	return fmt.Sprintf("[%d]", uint8(c))
}

// IsBeat reports whether c is a beat annotation in the sense of the
// EC57-style scoring of shared/ecg/README.md: N L R B A a J S V r F e j n
// E / f Q ?. Rhythm, noise, artefact and wave annotations are not beats.
func (c Code) IsBeat() bool {
	switch c {
	case Normal, LBBB, RBBB, BBB, APC, Aberr, NPC, SVPB, PVC, RonT, Fusion,
		AESC, NESC, SVESC, VESC, Pace, PFus, Unknown, Learn:
		return true
	}
	return false
}

// Annotation is one entry of an annotation file.
type Annotation struct {
	Sample  int64  // time as a 0-based sample index
	Code    Code   // annotation type
	Subtype int    // subtyp field (SUB), 0 if none
	Chan    int    // chan field (CHN); persists until changed
	Num     int    // num field (NUM); persists until changed
	Aux     string // auxiliary text (AUX) without trailing NULs, e.g. "(AFIB" on rhythm changes
}

// maxAnnotations bounds how many annotations ReadAnnotations holds (256 Ki,
// about 15 MB; a 24-hour Holter record has some 100,000 beats), so a
// corrupt, hostile or endless file cannot exhaust memory.
const maxAnnotations = 1 << 18

// ReadAnnotations decodes a whole MIT-format annotation file. Each
// 16-bit little-endian word holds a 6-bit code A and a 10-bit field I: for
// codes 0-49, I is the time since the previous annotation; SKIP adds a
// following 32-bit interval (high word first) to the time; NUM, CHN and
// SUB set fields; AUX carries I bytes of text. A zero word ends the file;
// a file that simply stops at a word boundary is accepted too.
func ReadAnnotations(r io.Reader) ([]Annotation, error) {
	br := bufio.NewReader(r)
	var (
		out      []Annotation
		t        int64
		chn, num int
		pos      int64
		haveCur  bool
	)
	readWord := func() (uint16, error) {
		var b [2]byte
		if _, err := io.ReadFull(br, b[:]); err != nil {
			return 0, err
		}
		pos += 2
		return uint16(b[0]) | uint16(b[1])<<8, nil
	}
	for {
		w, err := readWord()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, fmt.Errorf("wfdb annotations: byte %d: %w", pos, err)
		}
		if w == 0 {
			return out, nil
		}
		a, i := int(w>>10), int(w&0x3FF)
		switch a {
		case codeSkip:
			hi, err := readWord()
			if err == nil {
				var lo uint16
				lo, err = readWord()
				t += int64(int32(uint32(hi)<<16 | uint32(lo)))
			}
			if err != nil {
				return out, fmt.Errorf("wfdb annotations: SKIP interval at byte %d: %w", pos, unexpected(err))
			}
			// Annotations are stored in time order (annot(5)); a SKIP back
			// before the last annotation would reorder them.
			floor := int64(0)
			if len(out) > 0 {
				floor = out[len(out)-1].Sample
			}
			if t < floor {
				return out, fmt.Errorf("wfdb annotations: SKIP at byte %d goes back in time to sample %d, before %d", pos, t, floor)
			}
		case codeNum:
			num = signed10(i)
			if haveCur {
				out[len(out)-1].Num = num
			}
		case codeSub:
			if haveCur {
				out[len(out)-1].Subtype = signed10(i)
			}
		case codeChn:
			chn = i
			if haveCur {
				out[len(out)-1].Chan = chn
			}
		case codeAux:
			n := i + i&1
			buf := make([]byte, n)
			if _, err := io.ReadFull(br, buf); err != nil {
				return out, fmt.Errorf("wfdb annotations: %d AUX bytes at byte %d: %w", i, pos, unexpected(err))
			}
			pos += int64(n)
			if haveCur {
				// Writers count the C string terminator in I; it is not text.
				out[len(out)-1].Aux = strings.TrimRight(string(buf[:i]), "\x00")
			}
		default:
			if a > 49 {
				return out, fmt.Errorf("wfdb annotations: code %d at byte %d: want 0..49 or a pseudo-code 59..63", a, pos-2)
			}
			if len(out) >= maxAnnotations {
				return out, fmt.Errorf("wfdb annotations: more than %d annotations", maxAnnotations)
			}
			t += int64(i)
			if len(out) == cap(out) {
				// Double explicitly: append's gentler growth for large
				// slices would allocate about five times the final size
				// over the whole read.
				out = slices.Grow(out, max(len(out), 1024))
			}
			out = append(out, Annotation{Sample: t, Code: Code(a), Chan: chn, Num: num})
			haveCur = true
		}
	}
}

// signed10 reads a 10-bit field as two's complement, as annot(5) stores
// negative SUB and NUM values.
func signed10(i int) int {
	if i&0x200 != 0 {
		return i - 0x400
	}
	return i
}

func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// ReadAnnotationFile reads NAME.EXT (for example "mitdb/100" and "atr")
// from fsys.
func ReadAnnotationFile(fsys fs.FS, name, ext string) ([]Annotation, error) {
	f, err := fsys.Open(name + "." + ext)
	if err != nil {
		return nil, fmt.Errorf("wfdb: open annotations of record %s: %w", name, err)
	}
	defer f.Close()
	a, err := ReadAnnotations(f)
	if err != nil {
		return nil, fmt.Errorf("wfdb: record %s annotator %s: %w", name, ext, err)
	}
	return a, nil
}
