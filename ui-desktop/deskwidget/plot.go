package deskwidget

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Point is one value of a trend at a host time.
type Point struct {
	T time.Time
	V float64
}

// Sparkline draws one vital sign over a time window as a line, with the
// range limits as thin lines. It is drawn into a raster by the software
// painter, so golden images are exact.
type Sparkline struct {
	widget.BaseWidget
	// Label is spoken by a screen reader with the last value ("HR trend, last 72 /min").
	Label string
	// MaxGap is the longest time between two points joined by a line; a
	// longer gap (no data) is left open. 0 joins every point.
	MaxGap time.Duration

	points   []Point
	from, to time.Time
	lo, hi   float64
	raster   *canvas.Raster
	minSize  fyne.Size
	img      *image.RGBA // reused between draws of the same size
}

var _ fyne.Accessible = (*Sparkline)(nil)

// NewSparkline returns an empty sparkline of the value range [lo, hi].
func NewSparkline(label string, lo, hi float64) *Sparkline {
	s := &Sparkline{Label: label, lo: lo, hi: hi, minSize: fyne.NewSize(240, 44), MaxGap: 2 * time.Minute}
	s.ExtendBaseWidget(s)
	return s
}

// Set replaces the points and the time window [from, to] shown.
func (s *Sparkline) Set(points []Point, from, to time.Time) {
	s.points = append(s.points[:0], points...)
	s.from, s.to = from, to
	s.Refresh()
}

// AccessibilityLabel is the label given by the screen.
func (s *Sparkline) AccessibilityLabel() string { return s.Label }

// AccessibilityRole is text.
func (s *Sparkline) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleText }

// CreateRenderer implements fyne.Widget.
func (s *Sparkline) CreateRenderer() fyne.WidgetRenderer {
	s.raster = canvas.NewRaster(s.draw)
	s.raster.ScaleMode = canvas.ImageScalePixels
	return &rasterRenderer{raster: s.raster, min: func() fyne.Size { return s.minSize }}
}

func (s *Sparkline) draw(w, h int) image.Image {
	img := reuse(&s.img, w, h)
	bg := toRGBA(theme.Color(theme.ColorNameInputBackground))
	fg := toRGBA(theme.Color(theme.ColorNameForeground))
	grid := toRGBA(theme.Color(theme.ColorNameSeparator))
	draw.Draw(img, img.Bounds(), &image.Uniform{C: bg}, image.Point{}, draw.Src)
	if w < 4 || h < 4 {
		return img
	}
	hline(img, 0, w-1, 1, grid)
	hline(img, 0, w-1, h-2, grid)
	span := s.to.Sub(s.from)
	if span <= 0 || s.hi <= s.lo {
		return img
	}
	px := func(p Point) (int, int) {
		x := int(math.Round(float64(p.T.Sub(s.from)) / float64(span) * float64(w-1)))
		v := math.Max(s.lo, math.Min(s.hi, p.V))
		y := int(math.Round((s.hi - v) / (s.hi - s.lo) * float64(h-5)))
		return x, y + 2
	}
	var px0, py0 int
	var t0 time.Time
	first := true
	for _, p := range s.points {
		if p.T.Before(s.from) || p.T.After(s.to) || math.IsNaN(p.V) {
			continue
		}
		x, y := px(p)
		if first || (s.MaxGap > 0 && p.T.Sub(t0) > s.MaxGap) {
			dot(img, x, y, fg) // no line through a time without data
		} else {
			line(img, px0, py0, x, y, fg)
		}
		px0, py0, t0, first = x, y, p.T, false
	}
	return img
}

// ECGStrip draws the last seconds of an ECG lead, sweeping left to right,
// with a marker above each detected beat. The heart rate and rhythm flags
// are shown as text beside it by the screen; the strip's accessible label
// repeats them.
type ECGStrip struct {
	widget.BaseWidget
	// Label is spoken by a screen reader ("EKG, puls 72 /min").
	Label string

	rate    float64
	window  time.Duration
	samples []float64 // newest last, at most window*rate
	beats   []int     // indexes into samples of detected beats
	lo, hi  float64
	raster  *canvas.Raster
	img     *image.RGBA // reused between draws: the strip redraws at 5 Hz
}

var _ fyne.Accessible = (*ECGStrip)(nil)

// NewECGStrip returns an empty strip showing window of signal.
func NewECGStrip(label string, window time.Duration) *ECGStrip {
	e := &ECGStrip{Label: label, window: window}
	e.ExtendBaseWidget(e)
	return e
}

// Push appends samples at rate (samples/s) and marks beats, given as
// indexes relative to this block's first sample (negative for a beat
// reported late, in an earlier block). A change of rate starts the strip afresh.
// Samples beyond the window are dropped from the left. NaN is a gap.
func (e *ECGStrip) Push(samples []float64, rate float64, beats []int) {
	if rate <= 0 {
		return
	}
	if rate != e.rate {
		e.rate, e.samples, e.beats = rate, nil, nil
	}
	base := len(e.samples)
	e.samples = append(e.samples, samples...)
	for _, b := range beats {
		if base+b >= 0 && b < len(samples) {
			e.beats = append(e.beats, base+b)
		}
	}
	max := int(e.window.Seconds() * rate)
	if drop := len(e.samples) - max; drop > 0 {
		e.samples = append(e.samples[:0], e.samples[drop:]...)
		kept := e.beats[:0]
		for _, b := range e.beats {
			if b-drop >= 0 {
				kept = append(kept, b-drop)
			}
		}
		e.beats = kept
	}
	e.lo, e.hi = math.Inf(1), math.Inf(-1)
	for _, v := range e.samples {
		if !math.IsNaN(v) {
			e.lo, e.hi = math.Min(e.lo, v), math.Max(e.hi, v)
		}
	}
	e.Refresh()
}

// Clear empties the strip (a new patient or monitor).
func (e *ECGStrip) Clear() {
	e.samples, e.beats, e.rate = nil, nil, 0
	e.Refresh()
}

// Beats returns how many beats are marked on the strip now.
func (e *ECGStrip) Beats() int { return len(e.beats) }

// AccessibilityLabel is the label given by the screen.
func (e *ECGStrip) AccessibilityLabel() string { return e.Label }

// AccessibilityRole is text.
func (e *ECGStrip) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleText }

// CreateRenderer implements fyne.Widget.
func (e *ECGStrip) CreateRenderer() fyne.WidgetRenderer {
	e.raster = canvas.NewRaster(e.draw)
	e.raster.ScaleMode = canvas.ImageScalePixels
	return &rasterRenderer{raster: e.raster, min: func() fyne.Size { return fyne.NewSize(360, 110) }}
}

func (e *ECGStrip) draw(w, h int) image.Image {
	img := reuse(&e.img, w, h)
	bg := toRGBA(theme.Color(theme.ColorNameInputBackground))
	fg := toRGBA(theme.Color(theme.ColorNameForeground))
	grid := toRGBA(theme.Color(theme.ColorNameSeparator))
	mark := toRGBA(theme.Color(theme.ColorNameError))
	draw.Draw(img, img.Bounds(), &image.Uniform{C: bg}, image.Point{}, draw.Src)
	if w < 8 || h < 16 || e.rate <= 0 {
		return img
	}
	// one grid line per second, like paper at 25 mm/s in coarse form
	secs := e.window.Seconds()
	for s := 1.0; s < secs; s++ {
		vline(img, int(s/secs*float64(w-1)), 12, h-1, grid)
	}
	if len(e.samples) == 0 || !(e.hi > e.lo) {
		return img
	}
	n := e.window.Seconds() * e.rate
	top, bottom := 14, h-3
	xy := func(i int) (int, int) {
		x := int(float64(i) / n * float64(w-1))
		y := bottom - int((e.samples[i]-e.lo)/(e.hi-e.lo)*float64(bottom-top))
		return x, y
	}
	prevOK := false
	var x0, y0 int
	for i := range e.samples {
		if math.IsNaN(e.samples[i]) {
			prevOK = false
			continue
		}
		x, y := xy(i)
		if prevOK {
			line(img, x0, y0, x, y, fg)
		}
		x0, y0, prevOK = x, y, true
	}
	for _, b := range e.beats {
		x := int(float64(b) / n * float64(w-1))
		for dy := 0; dy < 8; dy++ { // a downward triangle over the beat
			hline(img, x-(7-dy)/2, x+(7-dy)/2, 2+dy, mark)
		}
	}
	return img
}

// reuse returns *p when it is w×h, else a new image stored in *p. The
// painter copies the image into a texture during the paint, so one buffer
// per widget is enough and the live strip makes no garbage.
func reuse(p **image.RGBA, w, h int) *image.RGBA {
	if *p == nil || (*p).Rect.Dx() != w || (*p).Rect.Dy() != h {
		*p = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	return *p
}

type rasterRenderer struct {
	raster *canvas.Raster
	min    func() fyne.Size
}

func (r *rasterRenderer) Layout(s fyne.Size)           { r.raster.Resize(s) }
func (r *rasterRenderer) MinSize() fyne.Size           { return r.min() }
func (r *rasterRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.raster} }
func (r *rasterRenderer) Destroy()                     {}
func (r *rasterRenderer) Refresh()                     { r.raster.Refresh() }

func toRGBA(c color.Color) color.RGBA {
	r, g, b, a := c.RGBA()
	return color.RGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: uint8(a >> 8)}
}

func set(img *image.RGBA, x, y int, c color.RGBA) {
	if image.Pt(x, y).In(img.Rect) {
		img.SetRGBA(x, y, c)
	}
}

func hline(img *image.RGBA, x0, x1, y int, c color.RGBA) {
	for x := x0; x <= x1; x++ {
		set(img, x, y, c)
	}
}

func vline(img *image.RGBA, x, y0, y1 int, c color.RGBA) {
	for y := y0; y <= y1; y++ {
		set(img, x, y, c)
	}
}

func dot(img *image.RGBA, x, y int, c color.RGBA) {
	for dx := -1; dx <= 1; dx++ {
		for dy := -1; dy <= 1; dy++ {
			set(img, x+dx, y+dy, c)
		}
	}
}

// line draws a two-pixel-thick line (Bresenham, doubled vertically) so the
// trace is readable from a step away.
func line(img *image.RGBA, x0, y0, x1, y1 int, c color.RGBA) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := 1, 1
	if x0 > x1 {
		sx = -1
	}
	if y0 > y1 {
		sy = -1
	}
	err := dx + dy
	for {
		set(img, x0, y0, c)
		set(img, x0, y0+1, c)
		if x0 == x1 && y0 == y1 {
			return
		}
		e2 := 2 * err
		if e2 >= dy {
			err += dy
			x0 += sx
		}
		if e2 <= dx {
			err += dx
			y0 += sy
		}
	}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
