package desk

// The vitals the triage form shows and takes by hand, built from the one
// table of vitals (triage/wording.Vitals): which there are and in what
// order, their names, units, decimals and number parsing. A vital added to
// that table with a place on the boards appears as a tile, a trend line
// and a hand-entry field without a change here.

import (
	"sort"
	"strings"

	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// formRows are the rows of the form's vitals section in table, in the
// table's order (the NEWS2 chart's): every row a board shows (Board > 0:
// a tile, a trend line and a hand-entry field each) and the answers NEWS2
// scores (air or oxygen, consciousness).
func formRows(table []wording.Vital) []wording.Vital {
	var out []wording.Vital
	for _, v := range table {
		if v.Kind != "" && v.Board > 0 || v.Kind == "" && v.NEWS2 != "" {
			out = append(out, v)
		}
	}
	return out
}

// measured are the kinds of the measured rows, in their order.
func measured(rows []wording.Vital) []vitals.Kind {
	var out []vitals.Kind
	for _, v := range rows {
		if v.Kind != "" {
			out = append(out, v.Kind)
		}
	}
	return out
}

// typedPair is the kind typed in the same field after a slash: the
// diastolic pressure with the systolic ("120/80").
var typedPair = map[vitals.Kind]vitals.Kind{vitals.SBP: vitals.DBP}

// row is the table's row of kind k; a kind without one (none today: a test
// of the table checks every kind has one) is named by its code.
func row(k vitals.Kind) wording.Vital {
	if v, ok := wording.VitalOf(k); ok {
		return v
	}
	return wording.Vital{ID: string(k), Kind: k, Short: wording.Text{NB: string(k), EN: string(k)}}
}

// vitalName is a tile's and a trend line's name: the row's short name,
// capitalised ("Puls", "BT sys", "Temp").
func vitalName(l i18n.Lang, k vitals.Kind) string {
	return wording.Capital(row(k).Short.In(l))
}

// manualLabel is a hand-entry field's label: the desktop's own words where
// it has them ("manual.<id>": "BT (sys/dia mmHg)", "Temperatur for hånd
// (°C)"), else the table's label ("Respirasjon (/min)").
func manualLabel(l i18n.Lang, k vitals.Kind) string {
	v := row(k)
	if s := l.T("manual." + v.ID); !strings.HasPrefix(s, "!") {
		return s
	}
	return v.Label(l)
}

// formatValue writes a vital value as the nurse reads it: the row's
// decimals (a temperature to one), with a decimal comma in bokmål.
func formatValue(l i18n.Lang, o vitals.Observation) string { return row(o.Kind).Format(o.Value, l) }

// unitOf writes unit u of a value of kind k: the row's unit for the
// kind's canonical unit ("/min", "%", "mmHg", "°C"), else the unit a
// device sent in ("°F").
func unitOf(k vitals.Kind, u vitals.Unit) string {
	if u == vitals.CanonicalUnit(k) {
		if v := row(k); v.Unit != "" {
			return v.Unit
		}
	}
	if s, ok := otherUnits[u]; ok {
		return s
	}
	return string(u)
}

// otherUnits write the units a device may send that are no kind's
// canonical unit.
var otherUnits = map[vitals.Unit]string{vitals.DegF: "°F", vitals.MmHg: "mmHg", vitals.Cel: "°C"}

// unitSuffixes are the units a typed value may end with ("39,5°", "38
// °C", "93 %"): every row's unit and short unit, longest first, so "°C"
// goes before "°".
var unitSuffixes = func() []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range wording.Vitals {
		for _, u := range []string{v.Unit, v.AbbrUnit} {
			if u != "" && !seen[u] {
				seen[u] = true
				out = append(out, u)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}()

// parseNumber reads a typed value: a decimal comma is fine, and so is a
// unit after it (wording.ParseNumber reads the number).
func parseNumber(s string) (float64, error) {
	s = strings.TrimSpace(s)
	for _, suffix := range unitSuffixes {
		s = strings.TrimSpace(strings.TrimSuffix(s, suffix))
	}
	v, ok := wording.ParseNumber(s)
	if !ok {
		return 0, errNotNumber
	}
	return v, nil
}

// trendRanges are the value ranges of the trend lines the nurses are used
// to; a vital without one is drawn over its plausible range.
var trendRanges = map[vitals.Kind][2]float64{
	vitals.RR: {0, 40}, vitals.SpO2: {80, 100}, vitals.SBP: {60, 220}, vitals.HR: {30, 180}, vitals.Temp: {34, 41},
}

// trendRange is the value range of kind k's trend line.
func trendRange(k vitals.Kind) (lo, hi float64) {
	if r, ok := trendRanges[k]; ok {
		return r[0], r[1]
	}
	lo, hi, _ = vitals.Plausible(k, 0)
	return lo, hi
}
