// Package triage is the pure triage engine: NEWS2 (triage/news2), the
// five-level triage colour from vital-parameter rules, NEWS2 band minimums
// and the nurse's discriminators, each result explained by the rules that
// fired. It does no I/O.
package triage

import (
	"fmt"
	"time"

	"github.com/legevakt/workstation/triage/wording"
)

// Colour is a five-level triage category. Lower values are more urgent, so
// "the most urgent of" is the minimum.
type Colour uint8

// The five triage colours (rød, oransje, gul, grønn, blå).
const (
	Red Colour = iota
	Orange
	Yellow
	Green
	Blue
)

// Colours lists all colours from most to least urgent.
var Colours = []Colour{Red, Orange, Yellow, Green, Blue}

var colourNames = [...]string{"red", "orange", "yellow", "green", "blue"}

// String returns the JSON name: red, orange, yellow, green or blue.
func (c Colour) String() string {
	if int(c) < len(colourNames) {
		return colourNames[c]
	}
	return fmt.Sprintf("colour(%d)", uint8(c))
}

// Label is the text label shown with the colour, so that no signal is
// carried by colour alone. lang is "nb" (default) or "en". The words are
// the wording layer's (wording.Colour); a colour out of range is worded
// unknown, never shown as its number.
func (c Colour) Label(lang wording.Lang) string { return wording.Colour(c.String(), lang) }

// MoreUrgent reports whether c is more urgent than d.
func (c Colour) MoreUrgent(d Colour) bool { return c < d }

// MostUrgent returns the more urgent of a and b.
func MostUrgent(a, b Colour) Colour {
	if a < b {
		return a
	}
	return b
}

// MarshalText implements encoding.TextMarshaler.
func (c Colour) MarshalText() ([]byte, error) {
	if int(c) >= len(colourNames) {
		return nil, fmt.Errorf("colour %d out of range", uint8(c))
	}
	return []byte(c.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (c *Colour) UnmarshalText(b []byte) error {
	p, err := ParseColour(string(b))
	if err != nil {
		return err
	}
	*c = p
	return nil
}

// ParseColour reads a colour name (red, orange, yellow, green, blue).
func ParseColour(s string) (Colour, error) {
	for i, n := range colourNames {
		if n == s {
			return Colour(i), nil
		}
	}
	return 0, fmt.Errorf("colour %q: want one of red, orange, yellow, green, blue", s)
}

// Targets are the maximum times to first clinician contact per colour.
type Targets [5]time.Duration

// DefaultTargets are the Manchester Triage System times, 0/10/60/120/240
// minutes (shared/reference/scoring-research.md §2.2); a clinic may configure
// its own.
func DefaultTargets() Targets {
	return Targets{0, 10 * time.Minute, 60 * time.Minute, 120 * time.Minute, 240 * time.Minute}
}

// For returns the target time for c.
func (t Targets) For(c Colour) time.Duration {
	if int(c) < len(t) {
		return t[c]
	}
	return 0
}
