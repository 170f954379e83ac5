package ecgpage

import (
	"bytes"
	"compress/zlib"
	"image/color"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// square is a 10 s recording at 500/s whose every lead is 0 µV except a
// 1 mV step from 1.0 s to 1.2 s: on the page that is 10 mm high and 5 mm
// wide at 25 mm/s and 10 mm/mV.
func square() Input {
	in := Input{Rate: 500, Start: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), Patient: "Kari Nordmann"}
	for _, row := range Order {
		for _, name := range row {
			x := make([]float64, 5000)
			for i := 500; i < 600; i++ {
				x[i] = 1000
			}
			in.Leads = append(in.Leads, Lead{Name: name, Samples: x})
		}
	}
	return in
}

func TestTheGridIsOneMillimetreSquaresWithDarkerFiveMillimetreLines(t *testing.T) {
	p, err := Build(square())
	require.NoError(t, err)
	var xs, ys []float64
	for _, l := range p.Lines {
		switch {
		case l.Colour != GridMinor && l.Colour != GridMajor:
		case l.X1 == l.X2 && l.Y1 != l.Y2:
			xs = append(xs, l.X1)
			assert.Equal(t, l.Colour == GridMajor, math.Mod(math.Round(l.X1-xs[0]), 5) == 0, "x = %g", l.X1)
		case l.Y1 == l.Y2:
			ys = append(ys, l.Y1)
			assert.Equal(t, l.Colour == GridMajor, math.Mod(math.Round(l.Y1-ys[0]), 5) == 0, "y = %g", l.Y1)
		}
	}
	require.Greater(t, len(xs), 250)
	require.Greater(t, len(ys), 150)
	for i := 1; i < len(xs); i++ {
		assert.InDelta(t, 1, xs[i]-xs[i-1], 1e-9, "vertical lines 1 mm apart")
	}
	for i := 1; i < len(ys); i++ {
		assert.InDelta(t, 1, ys[i]-ys[i-1], 1e-9, "horizontal lines 1 mm apart")
	}
	assert.LessOrEqual(t, xs[len(xs)-1], A4W)
	assert.LessOrEqual(t, ys[len(ys)-1], A4H)
}

// stepSize finds, in the first trace polyline, the width and height of the
// 1 mV step in mm.
func stepSize(t *testing.T, p Page) (w, h float64) {
	t.Helper()
	for _, pl := range p.Polys {
		if len(pl.X) < 1000 {
			continue // the calibration pulses
		}
		base := pl.Y[0]
		var first, last float64 = -1, -1
		for i := range pl.X {
			if pl.Y[i] < base-0.5 {
				if first < 0 {
					first = pl.X[i]
				}
				last = pl.X[i]
				h = math.Max(h, base-pl.Y[i])
			}
		}
		return last - first, h
	}
	t.Fatal("no trace")
	return 0, 0
}

func TestOneMillivoltIsTenMillimetresAnd200msIsFiveAtStandardSettings(t *testing.T) {
	for _, c := range []struct{ speed, gain, w, h float64 }{{25, 10, 5, 10}, {50, 10, 10, 10}, {25, 20, 5, 20}, {25, 5, 5, 5}} {
		in := square()
		in.SpeedMMS, in.GainMMmV = c.speed, c.gain
		p, err := Build(in)
		require.NoError(t, err)
		w, h := stepSize(t, p)
		assert.InDelta(t, c.w, w, 1.0/500*c.speed+1e-9, "width at %g mm/s", c.speed)
		assert.InDelta(t, c.h, h, 1e-9, "height at %g mm/mV", c.gain)
	}
}

func TestCalibrationPulseMatchesGain(t *testing.T) {
	in := square()
	in.GainMMmV = 20
	p, err := Build(in)
	require.NoError(t, err)
	pulse := p.Polys[0]
	require.Len(t, pulse.Y, 6)
	assert.InDelta(t, 20, pulse.Y[0]-pulse.Y[2], 1e-9, "1 mV at 20 mm/mV")
	assert.InDelta(t, 5, pulse.X[3]-pulse.X[2], 1e-9, "200 ms at 25 mm/s")
}

func TestUnconfirmedUntilSigned(t *testing.T) {
	texts := func(in Input) string {
		p, err := Build(in)
		require.NoError(t, err)
		var b strings.Builder
		for _, x := range p.Texts {
			b.WriteString(x.S + "\n")
		}
		return b.String()
	}
	in := square()
	s := texts(in)
	assert.Contains(t, s, "IKKE BEKREFTET / UNCONFIRMED")
	for _, want := range []string{"Kari Nordmann", "2024-01-02 03:04:05", "25 mm/s", "10 mm/mV", "Filter", "Frekvens/Rate", "QTc Bazett", "I\n", "aVR\n", "V6\n"} {
		assert.Contains(t, s, want)
	}
	in.Signed, in.SignedBy = true, "lege Hansen"
	s = texts(in)
	assert.NotContains(t, s, "UNCONFIRMED")
	assert.Contains(t, s, "lege Hansen")
}

func TestSettingsOutsideTheStandardAreRefused(t *testing.T) {
	in := square()
	in.SpeedMMS = 30
	_, err := Build(in)
	assert.Error(t, err)
	in = square()
	in.GainMMmV = 7
	_, err = Build(in)
	assert.Error(t, err)
}

func TestPDFIsA4LandscapeAtTrueScale(t *testing.T) {
	p, err := Build(square())
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, WritePDF(&buf, p))
	b := buf.Bytes()
	require.True(t, bytes.HasPrefix(b, []byte("%PDF-1.4")))
	assert.Contains(t, string(b), "/MediaBox [0 0 841.89 595.28]", "A4 landscape in points")
	// The xref table points at each object.
	m := regexp.MustCompile(`startxref\n(\d+)`).FindSubmatch(b)
	require.NotNil(t, m)
	xref, _ := strconv.Atoi(string(m[1]))
	require.True(t, bytes.HasPrefix(b[xref:], []byte("xref\n0 7\n")))
	offs := regexp.MustCompile(`(\d{10}) 00000 n`).FindAllSubmatch(b[xref:], -1)
	require.Len(t, offs, 6)
	for i, o := range offs {
		n, _ := strconv.Atoi(string(o[1]))
		assert.True(t, bytes.HasPrefix(b[n:], []byte(strconv.Itoa(i+1)+" 0 obj")), "object %d", i+1)
	}
	// Grid lines 1 mm = 2.83 pt apart in the content stream.
	i := bytes.Index(b, []byte("stream\n"))
	j := bytes.Index(b, []byte("\nendstream"))
	zr, err := zlib.NewReader(bytes.NewReader(b[i+7 : j]))
	require.NoError(t, err)
	content, err := io.ReadAll(zr)
	require.NoError(t, err)
	xs := regexp.MustCompile(`(?m)^([\d.]+) ([\d.]+) m ([\d.]+) ([\d.]+) l S$`).FindAllSubmatch(content, 3)
	require.Len(t, xs, 3)
	x0, _ := strconv.ParseFloat(string(xs[0][1]), 64)
	x1, _ := strconv.ParseFloat(string(xs[1][1]), 64)
	assert.InDelta(t, 72/25.4, x1-x0, 0.011)
	assert.Contains(t, string(content), "(IKKE BEKREFTET / UNCONFIRMED) Tj")
}

func TestPNGSquaresAreSquare(t *testing.T) {
	p, err := Build(square())
	require.NoError(t, err)
	img := Raster(p, 4)
	assert.Equal(t, 1188, img.Bounds().Dx())
	assert.Equal(t, 840, img.Bounds().Dy())
	// Along a row inside the grid, dark (major) pixels recur every 20 px
	// (5 mm), horizontally and vertically alike.
	// A major line's pixels are red and darker than a minor line's
	// (anti-aliasing blends them, so compare channels, not exact colours).
	period := func(get func(i int) color.RGBA, n int) []int {
		var at []int
		for i := 0; i < n; i++ {
			c := get(i)
			if c.R > 150 && c.G < 210 {
				at = append(at, i)
			}
		}
		return at
	}
	y := int((gridTop + 2.5) * 4)
	h := period(func(i int) color.RGBA { return img.RGBAAt(int(marginL*4)+i, y) }, 180)
	x := int((marginL + 2.5) * 4)
	v := period(func(i int) color.RGBA { return img.RGBAAt(x, int(gridTop*4)+i) }, 180)
	require.NotEmpty(t, h)
	require.NotEmpty(t, v)
	assert.Equal(t, h, v, "the same pattern both ways")
}
