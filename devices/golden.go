package devices

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// GoldenOptions says how CompareGolden compares a decode with a golden one.
type GoldenOptions struct {
	// Tolerance allows an absolute difference per field: numbers by value,
	// times (RFC 3339 strings) in seconds. A field is named by its path
	// without indices ("value", "wave.samples", "t"); a bare name also
	// matches it inside a wave or event ("t" matches "wave.t").
	Tolerance map[string]float64
	// Ignore leaves fields out of the comparison, named the same way.
	Ignore map[string]bool
	// MaxRecords is how many differing records are reported in full
	// (default 10); MaxFields how many fields per record (default 3).
	MaxRecords, MaxFields int
}

// GoldenResult is the outcome of CompareGolden.
type GoldenResult struct {
	// Differing is the number of records that differ (missing and extra
	// records included).
	Differing int
	// Report is the field-aware report, a few lines per difference:
	// "record 17 (t 2026-11-22T14:00:03Z): value: expected 72, got 73".
	Report []string
}

// ParseTolerance reads FIELD=ABS, where ABS is a number, or a Go duration
// such as 1s or 250ms (for time fields; taken in seconds).
func ParseTolerance(s string) (string, float64, error) {
	field, val, ok := strings.Cut(s, "=")
	if !ok || field == "" || val == "" {
		return "", 0, fmt.Errorf("--tolerance %q: want FIELD=ABS, e.g. value=0.5 or t=1s", s)
	}
	v, err := strconv.ParseFloat(val, 64)
	if err != nil {
		d, derr := time.ParseDuration(val)
		if derr != nil {
			return "", 0, fmt.Errorf("--tolerance %q: %q is neither a number nor a duration such as 1s", s, val)
		}
		v = d.Seconds()
	}
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > 1e9 {
		return "", 0, fmt.Errorf("--tolerance %q: want a finite number from 0 to 1e9", s)
	}
	return field, v, nil
}

// CompareGolden compares the decoded lines got (JSON objects, one per
// observation, wave or event) with the golden lines want, record by
// record.
func CompareGolden(want, got [][]byte, opt GoldenOptions) GoldenResult {
	if opt.MaxRecords <= 0 {
		opt.MaxRecords = 10
	}
	if opt.MaxFields <= 0 {
		opt.MaxFields = 3
	}
	var res GoldenResult
	shown := 0
	report := func(lines ...string) {
		res.Differing++
		if shown < opt.MaxRecords {
			res.Report = append(res.Report, lines...)
			shown++
		}
	}
	n := max(len(want), len(got))
	for i := 0; i < n; i++ {
		switch {
		case i >= len(got):
			w := flatten(want[i])
			report(fmt.Sprintf("record %d (t %s): missing: expected %s", i+1, recordTime(w), clip(string(want[i]))))
			continue
		case i >= len(want):
			g := flatten(got[i])
			report(fmt.Sprintf("record %d (t %s): extra: got %s", i+1, recordTime(g), clip(string(got[i]))))
			continue
		}
		if bytes.Equal(want[i], got[i]) {
			continue
		}
		w, g := flatten(want[i]), flatten(got[i])
		var diffs []string
		for _, k := range unionKeys(w, g) {
			pattern := stripIndices(k)
			if matchField(opt.Ignore, pattern) {
				continue
			}
			wv, wok := w[k]
			gv, gok := g[k]
			if wok && gok && equalWithin(wv, gv, tolerance(opt.Tolerance, pattern)) {
				continue
			}
			diffs = append(diffs, fmt.Sprintf("%s: expected %s, got %s", k, show(wv, wok), show(gv, gok)))
		}
		if len(diffs) == 0 {
			continue
		}
		head := fmt.Sprintf("record %d (t %s): ", i+1, recordTime(w))
		lines := []string{head + diffs[0]}
		for _, d := range diffs[1:min(len(diffs), opt.MaxFields)] {
			lines = append(lines, strings.Repeat(" ", len(head))+d)
		}
		if more := len(diffs) - opt.MaxFields; more > 0 {
			lines = append(lines, fmt.Sprintf("%s(and %d more fields differ)", strings.Repeat(" ", len(head)), more))
		}
		report(lines...)
	}
	if more := res.Differing - shown; more > 0 {
		res.Report = append(res.Report, fmt.Sprintf("... and %d more records differ", more))
	}
	if len(want) != len(got) {
		res.Report = append(res.Report, fmt.Sprintf("expected %d records, got %d", len(want), len(got)))
	}
	return res
}

// flatten turns a JSON object into path -> scalar (numbers as float64,
// strings, bools, nil); array elements get [i].
func flatten(line []byte) map[string]any {
	out := map[string]any{}
	var v any
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		out["(line)"] = string(line)
		return out
	}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				p := k
				if prefix != "" {
					p = prefix + "." + k
				}
				walk(p, e)
			}
		case []any:
			for i, e := range x {
				walk(fmt.Sprintf("%s[%d]", prefix, i), e)
			}
			if len(x) == 0 {
				out[prefix] = "[]"
			}
		case json.Number:
			f, err := x.Float64()
			if err != nil {
				out[prefix] = x.String()
			} else {
				out[prefix] = f
			}
		default:
			out[prefix] = x
		}
	}
	walk("", v)
	return out
}

func unionKeys(a, b map[string]any) []string {
	seen := map[string]bool{}
	var keys []string
	for _, m := range []map[string]any{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Slice(keys, func(i, j int) bool { return naturalLess(keys[i], keys[j]) })
	return keys
}

// naturalLess orders paths with indices numerically (samples[2] before samples[10]).
func naturalLess(a, b string) bool {
	pa, ia := splitIndex(a)
	pb, ib := splitIndex(b)
	if pa != pb {
		return a < b
	}
	return ia < ib
}

func splitIndex(s string) (string, int) {
	i := strings.LastIndexByte(s, '[')
	if i < 0 || !strings.HasSuffix(s, "]") {
		return s, -1
	}
	n, err := strconv.Atoi(s[i+1 : len(s)-1])
	if err != nil {
		return s, -1
	}
	return s[:i], n
}

func stripIndices(k string) string {
	var b strings.Builder
	skip := false
	for _, r := range k {
		switch {
		case r == '[':
			skip = true
		case r == ']':
			skip = false
		case !skip:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// matchField reports whether pattern (a path without indices) is named in
// set, directly or by its last part.
func matchField(set map[string]bool, pattern string) bool {
	if set[pattern] {
		return true
	}
	for f := range set {
		if strings.HasSuffix(pattern, "."+f) {
			return true
		}
	}
	return false
}

func tolerance(tol map[string]float64, pattern string) float64 {
	if v, ok := tol[pattern]; ok {
		return v
	}
	for f, v := range tol {
		if strings.HasSuffix(pattern, "."+f) {
			return v
		}
	}
	return 0
}

func equalWithin(a, b any, tol float64) bool {
	if a == b {
		return true
	}
	if fa, ok := a.(float64); ok {
		if fb, ok := b.(float64); ok {
			return math.Abs(fa-fb) <= tol
		}
	}
	if sa, ok := a.(string); ok {
		if sb, ok := b.(string); ok && tol > 0 {
			ta, ea := time.Parse(time.RFC3339Nano, sa)
			tb, eb := time.Parse(time.RFC3339Nano, sb)
			if ea == nil && eb == nil {
				return math.Abs(ta.Sub(tb).Seconds()) <= tol
			}
		}
	}
	return false
}

func show(v any, ok bool) string {
	if !ok {
		return "(absent)"
	}
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return strconv.Quote(x)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return fmt.Sprint(v)
}

// recordTime is the host time of a flattened line (observation, wave or event).
func recordTime(m map[string]any) string {
	for _, k := range []string{"t", "wave.t", "event.t"} {
		if s, ok := m[k].(string); ok {
			return s
		}
	}
	return "?"
}

func clip(s string) string {
	if len(s) > 120 {
		return s[:120] + "..."
	}
	return s
}
