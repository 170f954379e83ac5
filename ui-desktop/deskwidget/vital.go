package deskwidget

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// VitalView is what one vital-sign tile shows, already worded in the
// screen's language. The screen decides staleness and age; the tile only
// paints them, so it is easy to test.
type VitalView struct {
	Name   string // "SpO2"
	Value  string // "94" or "–" when missing
	Unit   string // "%"
	Source string // "kilde monitor-1"
	Age    string // "12 s siden"
	// Marker is a text flag shown beside the value: "FORELDET", "USIKKER",
	// "UGYLDIG" or "" when the value is fresh and valid.
	Marker string
}

// VitalTile shows one vital sign large, with its source, its age and a
// stale or quality marker in words. A stale value is drawn in the disabled
// colour and struck through by the marker text, never just greyed.
type VitalTile struct {
	widget.BaseWidget
	view VitalView

	name, value, unit, detail *canvas.Text
	marker                    *Badge
}

var _ fyne.Accessible = (*VitalTile)(nil)

// NewVitalTile returns a tile for the named vital with no value yet.
func NewVitalTile(name, missing string) *VitalTile {
	t := &VitalTile{view: VitalView{Name: name, Value: missing}}
	t.ExtendBaseWidget(t)
	return t
}

// Set shows v.
func (t *VitalTile) Set(v VitalView) {
	t.view = v
	t.Refresh()
}

// View returns what the tile shows.
func (t *VitalTile) View() VitalView { return t.view }

// AccessibilityLabel reads the whole tile: "SpO2 94 %, kilde monitor-1, 12 s siden, FORELDET".
func (t *VitalTile) AccessibilityLabel() string {
	v := t.view
	parts := []string{strings.TrimSpace(v.Name + " " + v.Value + " " + v.Unit)}
	for _, s := range []string{v.Source, v.Age, v.Marker} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// AccessibilityRole is text.
func (t *VitalTile) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleText }

// CreateRenderer implements fyne.Widget.
func (t *VitalTile) CreateRenderer() fyne.WidgetRenderer {
	t.name = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	t.name.TextStyle = fyne.TextStyle{Bold: true}
	t.value = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	t.value.TextStyle = fyne.TextStyle{Bold: true}
	t.unit = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	t.detail = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	t.marker = NewBadge("", 0, false)
	border := canvas.NewRectangle(color.Transparent)
	border.StrokeColor = theme.Color(theme.ColorNameInputBorder)
	border.StrokeWidth = 1
	border.CornerRadius = 4
	head := container.NewHBox(t.name, t.marker)
	val := container.NewHBox(t.value, container.NewVBox(canvasSpacer(), t.unit))
	body := container.NewPadded(container.NewVBox(head, val, t.detail))
	r := &vitalRenderer{t: t, border: border, content: container.NewStack(border, body)}
	r.Refresh()
	return r
}

func canvasSpacer() fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(1, 8))
	return r
}

type vitalRenderer struct {
	t       *VitalTile
	border  *canvas.Rectangle
	content *fyne.Container
}

func (r *vitalRenderer) Layout(s fyne.Size)           { r.content.Resize(s) }
func (r *vitalRenderer) MinSize() fyne.Size           { return r.content.MinSize() }
func (r *vitalRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.content} }
func (r *vitalRenderer) Destroy()                     {}

func (r *vitalRenderer) Refresh() {
	t, v := r.t, r.t.view
	fg := theme.Color(theme.ColorNameForeground)
	valueColour := fg
	if v.Marker != "" {
		// Dimmed but readable (fyne's disabled colour is 1.3:1 on white):
		// the last value stays on the tile to be read, with its marker.
		valueColour = theme.Color(theme.ColorNamePlaceHolder)
	}
	t.name.Text, t.name.Color, t.name.TextSize = v.Name, fg, theme.TextSize()
	t.value.Text, t.value.Color, t.value.TextSize = v.Value, valueColour, theme.TextHeadingSize()*1.4
	t.unit.Text, t.unit.Color, t.unit.TextSize = v.Unit, fg, theme.TextSize()
	t.detail.Text = strings.TrimSpace(strings.Join(nonEmpty(v.Source, v.Age), " · "))
	t.detail.Color, t.detail.TextSize = fg, theme.CaptionTextSize()
	if v.Marker != "" {
		t.marker.SetNeutral(v.Marker)
		t.marker.Show()
	} else {
		t.marker.Hide()
	}
	r.border.StrokeColor = theme.Color(theme.ColorNameInputBorder)
	for _, o := range []fyne.CanvasObject{t.name, t.value, t.unit, t.detail, r.border} {
		o.Refresh()
	}
	// The texts and the marker change size: lay the tile out again now
	// rather than wait for the driver's next minimum-size pass.
	r.content.Refresh()
}

func nonEmpty(s ...string) []string {
	out := s[:0:0]
	for _, x := range s {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}
