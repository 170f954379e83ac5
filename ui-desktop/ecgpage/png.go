package ecgpage

import (
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// Raster draws the page at pxPerMM pixels per millimetre (a whole number,
// so every grid square is the same number of pixels both ways).
func Raster(p Page, pxPerMM int) *image.RGBA {
	s := float64(pxPerMM)
	W, H := int(math.Ceil(p.W*s)), int(math.Ceil(p.H*s))
	img := image.NewRGBA(image.Rect(0, 0, W, H))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	// One rasterizer, reset for each colour: its accumulation buffer is
	// as large as the page (4 MB at 4 px/mm), so one per colour cost
	// tens of megabytes per key press on the desktop's page.
	r := vector.NewRasterizer(W, H)
	seg := func(x1, y1, x2, y2, width float64) {
		// A segment is a thin quadrilateral; at least one pixel wide.
		hw := math.Max(width*s, 1) / 2
		dx, dy := x2-x1, y2-y1
		l := math.Hypot(dx, dy)
		if l == 0 {
			dx, dy, l = 1, 0, 1
		}
		nx, ny := -dy/l*hw, dx/l*hw
		// Extend by half a width so joints of a polyline close.
		ex, ey := dx/l*hw, dy/l*hw
		r.MoveTo(float32(x1-ex+nx), float32(y1-ey+ny))
		r.LineTo(float32(x2+ex+nx), float32(y2+ey+ny))
		r.LineTo(float32(x2+ex-nx), float32(y2+ey-ny))
		r.LineTo(float32(x1-ex-nx), float32(y1-ey-ny))
		r.ClosePath()
	}
	// Grid first, then traces: the line colours (in order of first use)
	// before the ink.
	var colours []Colour
	seen := map[Colour]bool{}
	for _, l := range p.Lines {
		if !seen[l.Colour] {
			seen[l.Colour] = true
			colours = append(colours, l.Colour)
		}
	}
	for _, c := range colours {
		r.Reset(W, H)
		for _, l := range p.Lines {
			if l.Colour == c {
				seg(l.X1*s, l.Y1*s, l.X2*s, l.Y2*s, l.Width)
			}
		}
		r.Draw(img, img.Bounds(), image.NewUniform(rgba(c)), image.Point{})
	}
	colours, seen = colours[:0], map[Colour]bool{}
	for _, pl := range p.Polys {
		if !seen[pl.Colour] {
			seen[pl.Colour] = true
			colours = append(colours, pl.Colour)
		}
	}
	for _, c := range colours {
		r.Reset(W, H)
		for _, pl := range p.Polys {
			if pl.Colour != c {
				continue
			}
			for i := 1; i < len(pl.X); i++ {
				seg(pl.X[i-1]*s, pl.Y[i-1]*s, pl.X[i]*s, pl.Y[i]*s, pl.Width)
			}
		}
		r.Draw(img, img.Bounds(), image.NewUniform(rgba(c)), image.Point{})
	}
	for _, t := range p.Texts {
		face := faceFor(t.Size*s*25.4/72, t.Bold)
		d := font.Drawer{Dst: img, Src: image.NewUniform(rgba(t.Colour)), Face: face,
			Dot: fixed.Point26_6{X: fixed.I(int(t.X * s)), Y: fixed.I(int(t.Y * s))}}
		d.DrawString(t.S)
	}
	return img
}

// WritePNG draws the page at pxPerMM and writes it as PNG.
func WritePNG(w io.Writer, p Page, pxPerMM int) error {
	return png.Encode(w, Raster(p, pxPerMM))
}

func rgba(c Colour) color.RGBA {
	return color.RGBA{uint8(c.R*255 + 0.5), uint8(c.G*255 + 0.5), uint8(c.B*255 + 0.5), 255}
}

var (
	faceMu sync.Mutex
	faces  = map[[2]float64]font.Face{}
	fonts  [2]*opentype.Font
)

// faceFor returns the Go font (regular or bold) at size pixels.
func faceFor(px float64, bold bool) font.Face {
	faceMu.Lock()
	defer faceMu.Unlock()
	b := 0.0
	if bold {
		b = 1
	}
	k := [2]float64{math.Round(px*4) / 4, b}
	if f, ok := faces[k]; ok {
		return f
	}
	i := int(b)
	if fonts[i] == nil {
		data := goregular.TTF
		if bold {
			data = gobold.TTF
		}
		f, err := opentype.Parse(data)
		if err != nil {
			panic("ecgpage: the embedded Go font does not parse: " + err.Error())
		}
		fonts[i] = f
	}
	f, err := opentype.NewFace(fonts[i], &opentype.FaceOptions{Size: k[0], DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		panic("ecgpage: font face: " + err.Error())
	}
	faces[k] = f
	return f
}
