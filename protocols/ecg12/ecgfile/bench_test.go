package ecgfile

import "testing"

// BenchmarkDecodeRealFiles imports each sample file (a 10 s 12-lead ECG).
func BenchmarkDecodeRealFiles(b *testing.B) {
	for _, name := range []string{"fda_aecg_subject1_0.xml", "ecgtoolkit_example.scp", "philips_pagewriter_1-04.xml", "mortara_anonymous_ecg.dcm"} {
		data := sample(b, name)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Decode(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkDecodeSmallSeed(b *testing.B) {
	data := newSynth(12).aecg()
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}
