package main

import (
	"image"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/legevakt/workstation/ui-desktop/deskshell"
)

// QA F2: raised with Ctrl+= from 1x to 2x and 2.5x, the device bar at the
// bottom of the window ("Ingen monitor", "Ingen monitor tilkoblet",
// "Bruker: …") was cut by the window's bottom edge: fyne's window moved
// its content below the taller menu bar but kept the content's height.
// On the real app, at 2.5x reached by the keys, the bar's button ends
// above the window's edge: the window's last rows under the button are
// the dark background, not the button's light face.
func TestTheDeviceBarIsWholeAfterCtrlPlusUnderXvfb(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real app under Xvfb")
	}
	d := startDemo(t, t.TempDir(), 2*time.Minute)

	d.logIn("resepsjon")
	d.key("ctrl+t")
	d.until("the triage tab", 10*time.Second, func(s deskshell.State) bool { return s.Tab == "triage" })
	for {
		s, _ := d.state()
		if s.Scale >= 2.49 {
			break
		}
		d.key("ctrl+equal")
		d.until("one text step larger", 10*time.Second, func(n deskshell.State) bool { return n.Scale > s.Scale+0.05 })
	}
	// The picture once the bar's button is drawn at its new size.
	img := d.calmShot("devbar-25x.png", 20*time.Second, func(s deskshell.State) bool { return s.Scale >= 2.49 },
		func(img image.Image) bool {
			return lightRows(img, 0, 300, img.Bounds().Max.Y-120, img.Bounds().Max.Y) > 0
		})
	b := img.Bounds()
	assert.Zero(t, lightRows(img, 0, 300, b.Max.Y-2, b.Max.Y), "the device bar's button runs into the window's bottom edge (cut)")
}

// lightRows counts the rows y0..y1-1 that have a light pixel (a button's
// face) between x0 and x1.
func lightRows(img image.Image, x0, x1, y0, y1 int) int {
	n := 0
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if (r+g+bl)/3 > 0x9000 {
				n++
				break
			}
		}
	}
	return n
}
