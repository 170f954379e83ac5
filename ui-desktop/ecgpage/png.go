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
	// One rasterizer pass per colour and width class keeps it fast.
	type key struct {
		c Colour
	}
	paths := map[key]*vector.Rasterizer{}
	order := []key{}
	get := func(c Colour) *vector.Rasterizer {
		k := key{c}
		r, ok := paths[k]
		if !ok {
			r = vector.NewRasterizer(W, H)
			paths[k] = r
			order = append(order, k)
		}
		return r
	}
	seg := func(r *vector.Rasterizer, x1, y1, x2, y2, width float64) {
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
	for _, l := range p.Lines {
		seg(get(l.Colour), l.X1*s, l.Y1*s, l.X2*s, l.Y2*s, l.Width)
	}
	// Grid first, then traces: draw the line colours before the ink.
	for _, k := range order {
		paths[k].Draw(img, img.Bounds(), image.NewUniform(rgba(k.c)), image.Point{})
	}
	ink := map[key]*vector.Rasterizer{}
	var inkOrder []key
	for _, pl := range p.Polys {
		k := key{pl.Colour}
		r, ok := ink[k]
		if !ok {
			r = vector.NewRasterizer(W, H)
			ink[k] = r
			inkOrder = append(inkOrder, k)
		}
		for i := 1; i < len(pl.X); i++ {
			seg(r, pl.X[i-1]*s, pl.Y[i-1]*s, pl.X[i]*s, pl.Y[i]*s, pl.Width)
		}
	}
	for _, k := range inkOrder {
		ink[k].Draw(img, img.Bounds(), image.NewUniform(rgba(k.c)), image.Point{})
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
