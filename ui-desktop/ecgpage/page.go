// Package ecgpage lays out the standard resting 12-lead ECG page and draws
// it as a vector PDF (A4 landscape, true scale) or a PNG: 3 rows of 4
// columns (I aVR V1 V4 / II aVL V2 V5 / III aVF V3 V6, 2.5 s each at
// 25 mm/s) and a 10 s lead II rhythm strip, 10 mm/mV, a 1 mm grid with 5 mm
// lines, a 1 mV × 200 ms calibration pulse before each row, and the
// patient, time, speed, gain, filters, our and the cart's measurements,
// and "ikke bekreftet / unconfirmed" until a physician has signed
// (IHE Cardiology TF-2 4.6.4.2.2 and the conventions in
// ../shared/ecg12/README.md).
//
// The layout is a list of primitives in millimetres (Page); the PDF and
// PNG writers only draw them, so both show the same page. Nothing here
// imports a GUI toolkit: the command line and the desktop share it.
package ecgpage

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Colour is an RGB colour, components 0..1.
type Colour struct{ R, G, B float64 }

// The page's colours: a red grid as on paper, black traces and text.
var (
	GridMinor = Colour{0.98, 0.78, 0.78}
	GridMajor = Colour{0.90, 0.45, 0.45}
	Ink       = Colour{0, 0, 0}
	Alert     = Colour{0.75, 0, 0}
)

// Line is a straight segment; Poly a polyline. Coordinates in mm from the
// top left corner of the page.
type Line struct {
	X1, Y1, X2, Y2 float64
	Width          float64 // mm
	Colour         Colour
}

// Poly is a polyline.
type Poly struct {
	X, Y   []float64
	Width  float64
	Colour Colour
}

// Text is one line of text with its baseline at (X, Y).
type Text struct {
	X, Y   float64
	Size   float64 // points
	Bold   bool
	Colour Colour
	S      string
}

// Page is what is drawn: a size in millimetres and primitives in drawing
// order (grid first, traces over it).
type Page struct {
	W, H  float64
	Lines []Line
	Polys []Poly
	Texts []Text
}

// A4 landscape.
const (
	A4W = 297.0
	A4H = 210.0
)

// Lead is one lead's samples in microvolts at Rate.
type Lead struct {
	Name    string
	Samples []float64
}

// Values are the measurements printed, NaN for absent (start from
// NoValues: a zero is printed as a measured 0).
type Values struct {
	RateBPM, PRms, QRSms, QTms, QTcB, QTcF, PAxis, QRSAxis, TAxis float64
}

// NoValues returns Values with every measurement absent.
func NoValues() Values {
	n := math.NaN()
	return Values{n, n, n, n, n, n, n, n, n}
}

// Input is everything the page shows.
type Input struct {
	Rate     float64
	Leads    []Lead
	Patient  string // name and identity as the file gives them, "" if none
	Start    time.Time
	Device   string
	Filters  string // e.g. "0.05–150 Hz, notch 50 Hz"
	Ours     Values
	Cart     Values
	CartText []string // the cart's interpretation statements
	Signed   bool     // a physician has signed; otherwise "ikke bekreftet / unconfirmed"
	SignedBy string
	SpeedMMS float64 // 25 or 50
	GainMMmV float64 // 5, 10 or 20
	Note     string  // e.g. why a measurement is absent
}

// Layout of the page in mm.
const (
	marginL   = 18.0
	gridTop   = 40.0
	rowH      = 37.5 // 3 lead rows + the rhythm strip: 150 mm of grid
	rows      = 4
	calW      = 12.0 // calibration pulse area before the traces (the pulse is 10 mm wide at 50 mm/s)
	traceW    = 250.0
	colSecs25 = 2.5
)

// Order is the standard 3×4 arrangement.
var Order = [3][4]string{{"I", "aVR", "V1", "V4"}, {"II", "aVL", "V2", "V5"}, {"III", "aVF", "V3", "V6"}}

// Build lays out the page.
func Build(in Input) (Page, error) {
	if !(in.Rate > 0) {
		return Page{}, fmt.Errorf("ecgpage: sample rate %g", in.Rate)
	}
	speed, gain := in.SpeedMMS, in.GainMMmV
	if speed == 0 {
		speed = 25
	}
	if gain == 0 {
		gain = 10
	}
	if speed != 25 && speed != 50 {
		return Page{}, fmt.Errorf("ecgpage: speed %g mm/s: 25 or 50", speed)
	}
	if gain != 5 && gain != 10 && gain != 20 {
		return Page{}, fmt.Errorf("ecgpage: gain %g mm/mV: 5, 10 or 20", gain)
	}
	p := Page{W: A4W, H: A4H}
	gx0, gx1 := marginL, marginL+calW+traceW
	gy0, gy1 := gridTop, gridTop+rows*rowH
	// Grid: 1 mm lines, every fifth darker, drawn over the whole area so
	// every square is 1 mm by 1 mm.
	for i := 0; float64(i) <= gx1-gx0+1e-9; i++ {
		x := gx0 + float64(i)
		c, w := GridMinor, 0.1
		if i%5 == 0 {
			c, w = GridMajor, 0.2
		}
		p.Lines = append(p.Lines, Line{x, gy0, x, gy1, w, c})
	}
	for i := 0; float64(i) <= gy1-gy0+1e-9; i++ {
		y := gy0 + float64(i)
		c, w := GridMinor, 0.1
		if i%5 == 0 {
			c, w = GridMajor, 0.2
		}
		p.Lines = append(p.Lines, Line{gx0, y, gx1, y, w, c})
	}
	lead := map[string][]float64{}
	for _, l := range in.Leads {
		lead[l.Name] = l.Samples
	}
	colSecs := colSecs25 * 25 / speed
	colW := colSecs * speed
	tx0 := gx0 + calW
	base := func(r int) float64 { return gy0 + float64(r)*rowH + rowH*0.6 }
	for r := 0; r < rows; r++ {
		// Calibration pulse: 1 mV high, 200 ms wide, at this speed and gain.
		y, x := base(r), gx0+1
		w, h := 0.2*speed, gain
		p.Polys = append(p.Polys, Poly{X: []float64{x - 0.5, x, x, x + w, x + w, x + w + 0.5}, Y: []float64{y, y, y - h, y - h, y, y}, Width: 0.3, Colour: Ink})
	}
	for r, names := range Order {
		for c, name := range names {
			x0 := tx0 + float64(c)*colW
			if c > 0 { // a short mark where the leads change
				p.Lines = append(p.Lines, Line{x0, base(r) - 4, x0, base(r) + 4, 0.3, Ink})
			}
			p.Texts = append(p.Texts, Text{X: x0 + 1, Y: base(r) - 0.55*rowH + 4, Size: 9, Bold: true, Colour: Ink, S: name})
			x := lead[name]
			if x == nil {
				p.Texts = append(p.Texts, Text{X: x0 + 10, Y: base(r) - 0.55*rowH + 4, Size: 8, Colour: Alert, S: "mangler / missing"})
				continue
			}
			a := int(float64(c) * colSecs * in.Rate)
			b := min(len(x), int(float64(c+1)*colSecs*in.Rate))
			addTrace(&p, x, a, b, in.Rate, x0, base(r), speed, gain, gy0, gy1)
		}
	}
	// Rhythm strip: lead II, 10 s at 25 mm/s (5 s at 50).
	r := 3
	p.Texts = append(p.Texts, Text{X: tx0 + 1, Y: base(r) - 0.55*rowH + 4, Size: 9, Bold: true, Colour: Ink, S: "II"})
	if x := lead["II"]; x != nil {
		b := min(len(x), int(traceW/speed*in.Rate))
		addTrace(&p, x, 0, b, in.Rate, tx0, base(r), speed, gain, gy0, gy1)
	}
	header(&p, in, speed, gain)
	return p, nil
}

// addTrace draws samples a..b of x from (x0, y0) with the isoelectric
// level at the segment's median, clipped to the grid.
func addTrace(p *Page, x []float64, a, b int, rate, x0, y0, speed, gain, top, bottom float64) {
	if a >= b {
		return
	}
	seg := make([]float64, 0, b-a)
	for _, v := range x[a:b] {
		if !math.IsNaN(v) {
			seg = append(seg, v)
		}
	}
	if len(seg) == 0 {
		return
	}
	slices.Sort(seg)
	mid := seg[len(seg)/2]
	var px, py []float64
	flush := func() {
		if len(px) > 1 {
			p.Polys = append(p.Polys, Poly{X: px, Y: py, Width: 0.25, Colour: Ink})
		}
		px, py = nil, nil
	}
	for i := a; i < b; i++ {
		v := x[i]
		if math.IsNaN(v) {
			flush() // a gap is drawn as a gap
			continue
		}
		y := y0 - (v-mid)/1000*gain
		y = math.Max(top, math.Min(bottom, y))
		px = append(px, x0+float64(i-a)/rate*speed)
		py = append(py, y)
	}
	flush()
}

func header(p *Page, in Input, speed, gain float64) {
	t := func(x, y, size float64, bold bool, c Colour, s string) {
		p.Texts = append(p.Texts, Text{X: x, Y: y, Size: size, Bold: bold, Colour: c, S: s})
	}
	patient := in.Patient
	if patient == "" {
		patient = "(ukjent / unknown)"
	}
	start := "(ukjent / unknown)"
	if !in.Start.IsZero() {
		start = in.Start.Format("2006-01-02 15:04:05")
	}
	t(marginL, 10, 11, true, Ink, "Pasient / Patient: "+patient)
	t(marginL, 15.5, 8.5, false, Ink, "Tid / Time: "+start+"    Apparat / Device: "+orDash(in.Device))
	t(marginL, 20.5, 8.5, false, Ink, fmt.Sprintf("%g mm/s    %g mm/mV    Filter: %s", speed, gain, orDash(in.Filters)))
	if in.Signed {
		t(200, 10, 11, true, Ink, "Bekreftet / Confirmed: "+in.SignedBy)
	} else {
		t(200, 10, 12, true, Alert, "IKKE BEKREFTET / UNCONFIRMED")
	}
	row := func(label string, f func(Values) float64, unit string) string {
		return fmt.Sprintf("%s %s / %s %s", label, num(f(in.Ours)), num(f(in.Cart)), unit)
	}
	t(marginL, 27, 8.5, true, Ink, "Våre målinger / apparatets — ours / the cart's:")
	t(marginL, 32, 8.5, false, Ink, strings.Join([]string{
		row("Frekvens/Rate", func(v Values) float64 { return v.RateBPM }, "/min"),
		row("PR", func(v Values) float64 { return v.PRms }, "ms"),
		row("QRS", func(v Values) float64 { return v.QRSms }, "ms"),
		row("QT", func(v Values) float64 { return v.QTms }, "ms"),
	}, "    "))
	t(marginL, 36.5, 8.5, false, Ink, strings.Join([]string{
		row("QTc Bazett", func(v Values) float64 { return v.QTcB }, "ms"),
		row("QTc Fridericia", func(v Values) float64 { return v.QTcF }, "ms"),
		row("Akser/Axes P", func(v Values) float64 { return v.PAxis }, "°"),
		row("QRS", func(v Values) float64 { return v.QRSAxis }, "°"),
		row("T", func(v Values) float64 { return v.TAxis }, "°"),
	}, "    "))
	y := gridTop + rows*rowH + 5
	for _, line := range wrap(cartLine(in.CartText), 150) {
		t(marginL, y, 8, false, Ink, line)
		y += 4
	}
	for _, line := range wrap(in.Note, 150) {
		t(marginL, y, 8, false, Ink, line)
		y += 4
	}
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

func num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	return fmt.Sprintf("%g", math.Round(v))
}

func cartLine(st []string) string {
	if len(st) == 0 {
		return ""
	}
	return "Apparatets tolkning / the cart's interpretation: " + strings.Join(st, "; ")
}

// wrap breaks s into lines of at most n characters at spaces (8 pt text
// holds about 150 characters across the page).
func wrap(s string, n int) []string {
	var out []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && len([]rune(line))+1+len([]rune(w)) > n {
			out = append(out, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}
