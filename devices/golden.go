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
	ws, gs := make([]map[string]any, len(want)), make([]map[string]any, len(got))
	wk, gk := make([]string, len(want)), make([]string, len(got))
	for i, l := range want {
		ws[i] = flatten(l)
		wk[i] = recordKey(ws[i])
	}
	for i, l := range got {
		gs[i] = flatten(l)
		gk[i] = recordKey(gs[i])
	}
	// Records are paired by their kind (an observation's vital, a wave's
	// channel, an event's kind) along the longest common sequence, so one
	// lost or extra record is reported once instead of shifting every
	// record after it.
	for _, op := range align(wk, gk) {
		switch {
		case op.w < 0:
			report(fmt.Sprintf("record %d (t %s): extra: got %s", op.g+1, recordTime(gs[op.g]), clip(string(got[op.g]))))
			continue
		case op.g < 0:
			report(fmt.Sprintf("record %d (t %s): missing: expected %s", op.w+1, recordTime(ws[op.w]), clip(string(want[op.w]))))
			continue
		}
		i := op.w
		if bytes.Equal(want[i], got[op.g]) {
			continue
		}
		w, g := ws[i], gs[op.g]
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

// recordKey is what pairs a golden record with a decoded one: its type
// and kind (observation vital, wave kind and channel, event kind and
// parameter).
func recordKey(m map[string]any) string {
	switch {
	case m["wave.kind"] != nil:
		return fmt.Sprintf("wave %v %v", m["wave.kind"], m["wave.channel"])
	case m["event.kind"] != nil:
		return fmt.Sprintf("event %v %v", m["event.kind"], m["event.param"])
	}
	return fmt.Sprintf("%v", m["kind"])
}

// alignOp pairs golden record w with decoded record g; -1 on one side
// marks a missing (g < 0) or extra (w < 0) record.
type alignOp struct{ w, g int }

// maxAlignEdits bounds the differences align searches for (memory grows
// with their number times the records); beyond it records are paired in
// order.
const maxAlignEdits = 2000

// align pairs a and b along a shortest edit script (Myers' O(ND)
// algorithm), in order.
func align(a, b []string) []alignOp {
	n, m := len(a), len(b)
	maxD := min(n+m, maxAlignEdits)
	off := maxD + 1
	v := make([]int, 2*maxD+3)
	var trace [][]int
	found := -1
	for d := 0; d <= maxD && found < 0; d++ {
		trace = append(trace, append([]int(nil), v...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1]
			} else {
				x = v[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			v[off+k] = x
			if x >= n && y >= m {
				found = d
				break
			}
		}
	}
	if found < 0 {
		// Too many differences to align: pair in order.
		var ops []alignOp
		for i := 0; i < max(n, m); i++ {
			switch {
			case i >= m:
				ops = append(ops, alignOp{i, -1})
			case i >= n:
				ops = append(ops, alignOp{-1, i})
			default:
				ops = append(ops, alignOp{i, i})
			}
		}
		return ops
	}
	// Walk back through the saved frontiers.
	var rev []alignOp
	x, y := n, m
	for d := found; d > 0; d-- {
		vp := trace[d]
		k := x - y
		var pk int
		if k == -d || (k != d && vp[off+k-1] < vp[off+k+1]) {
			pk = k + 1
		} else {
			pk = k - 1
		}
		px := vp[off+pk]
		py := px - pk
		for x > px && y > py {
			x, y = x-1, y-1
			rev = append(rev, alignOp{x, y})
		}
		if x == px {
			y--
			rev = append(rev, alignOp{-1, y})
		} else {
			x--
			rev = append(rev, alignOp{x, -1})
		}
	}
	for x > 0 && y > 0 {
		x, y = x-1, y-1
		rev = append(rev, alignOp{x, y})
	}
	ops := make([]alignOp, len(rev))
	for i, op := range rev {
		ops[len(rev)-1-i] = op
	}
	return ops
}
