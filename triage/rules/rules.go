// Package rules holds triage rule sets as versioned data: the vital-parameter
// thresholds per age group, the minimum colour per NEWS2 band, the
// chief-complaint discriminators and nurse concern, each threshold with its
// source cited. The open default set is embedded (Default); a clinic with a
// licensed rule set (RETTS, MTS) loads its own file with Load.
//
// A rule set only says what fires; the triage package evaluates it. Colours
// are Levels here (Red = 0 … Blue = 4, the order of triage.Colour) so that
// this package does not import the engine.
package rules

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/vitals"
)

//go:embed default.json
var defaultJSON []byte

// Level is a triage colour, most urgent first; it has the same values as
// triage.Colour.
type Level uint8

// Levels.
const (
	Red Level = iota
	Orange
	Yellow
	Green
	Blue
)

var levelNames = [...]string{"red", "orange", "yellow", "green", "blue"}

// String returns red, orange, yellow, green or blue.
func (l Level) String() string {
	if int(l) < len(levelNames) {
		return levelNames[l]
	}
	return fmt.Sprintf("level(%d)", uint8(l))
}

func parseLevel(s string) (Level, error) {
	for i, n := range levelNames {
		if n == s {
			return Level(i), nil
		}
	}
	return 0, fmt.Errorf("colour %q: want one of red, orange, yellow, green, blue", s)
}

// Op is how a rule compares.
type Op uint8

// Rule comparisons. Below and Above are strict, as the public charts write
// them ("RR <8 or >30").
const (
	Below Op = iota // quantised value < Limit
	Above           // quantised value > Limit
	In              // categorical value is one of Codes
)

// Rule is one threshold: when it fires, the colour is at least Level.
type Rule struct {
	ID    string
	Param news2.Param
	Op    Op
	// Limit is in the engine's quantised units: whole numbers, or tenths of
	// a degree for temperature (38.5 °C is 385).
	Limit int
	Codes []string
	// Oxygen restricts a rule to patients on air or on oxygen; OxygenUnknown
	// means either. When the patient's oxygen is not recorded, a restricted
	// rule fires if it would fire in either state (the more urgent reading).
	Oxygen news2.Oxygen
	Level  Level
	Source string
	// Threshold is the rule as a person reads it, e.g. "< 8 /min", "> 38.5 °C on air", "= U".
	Threshold string
}

// FiresOn reports whether a numeric rule fires for the quantised value q and
// the patient's oxygen state.
func (r *Rule) FiresOn(q int, oxygen news2.Oxygen) bool {
	if r.Oxygen != news2.OxygenUnknown && oxygen != news2.OxygenUnknown && oxygen != r.Oxygen {
		return false
	}
	switch r.Op {
	case Below:
		return q < r.Limit
	case Above:
		return q > r.Limit
	}
	return false
}

// FiresOnCode reports whether a categorical rule fires for code.
func (r *Rule) FiresOnCode(code string) bool {
	if r.Op != In || code == "" {
		return false
	}
	for _, c := range r.Codes {
		if c == code {
			return true
		}
	}
	return false
}

// Floor is an unconditional minimum colour with its source.
type Floor struct {
	ID     string
	Level  Level
	Source string
}

// AgeFloor is a minimum colour that applies from an age on.
type AgeFloor struct {
	Floor
	FromDays int
}

// AgeGroup is the rules for ages FromDays ≤ age < ToDays (ToDays 0: no upper end).
type AgeGroup struct {
	ID       string
	FromDays int
	ToDays   int
	Label    news2.Text
	// Floor, when set, is the least urgent colour any patient of the group gets.
	Floor *Floor
	// Require lists the parameters of a complete vital set for the group.
	Require news2.Params
	Rules   []Rule
}

// Contains reports whether ageDays falls in the group.
func (g *AgeGroup) Contains(ageDays int) bool {
	return ageDays >= g.FromDays && (g.ToDays == 0 || ageDays < g.ToDays)
}

// BandFloor is the minimum colour for a NEWS2 band at or above MinTotal.
type BandFloor struct {
	ID       string
	Band     news2.Band
	MinTotal int
	Level    Level
	Source   string
}

// Discriminator is a chief-complaint criterion the nurse selects.
type Discriminator struct {
	Code   string
	Level  Level
	Text   news2.Text
	Source string
}

// Set is a compiled, validated rule set. Treat it as read-only: the engine
// shares one Set between goroutines.
type Set struct {
	ID      string
	Version string
	Title   string
	Licence string
	// Digest is the SHA-256 of the file the set was loaded from, so an
	// audit can prove which exact rules produced a result.
	Digest string
	// Sources maps each source key used by a rule to its citation.
	Sources      map[string]string
	Baseline     Floor
	Incomplete   Floor
	NurseConcern Floor
	// ExcludedSingleRed, when set, is the minimum colour for a patient
	// outside NEWS2 (pregnancy, age 12–15) from FromDays of age on, when one
	// parameter lands in a 3-point cell of the NEWS2 chart.
	ExcludedSingleRed *AgeFloor
	UnknownAgeGroup   *AgeGroup
	AgeGroups         []AgeGroup
	AllAges           []Rule
	BandFloors        []BandFloor
	// Discriminators are sorted by code.
	Discriminators []Discriminator
}

// Name is "id/version", the rule-set version written into every result.
func (s *Set) Name() string { return s.ID + "/" + s.Version }

// Group returns the age group for ageDays, or the unknown-age group when
// the age is not recorded.
func (s *Set) Group(ageDays int, known bool) *AgeGroup {
	if !known {
		return s.UnknownAgeGroup
	}
	for i := range s.AgeGroups {
		if s.AgeGroups[i].Contains(ageDays) {
			return &s.AgeGroups[i]
		}
	}
	// Unreachable after validation (groups cover 0..∞); the oldest group is
	// the fallback rather than a panic.
	return &s.AgeGroups[len(s.AgeGroups)-1]
}

// Discriminator looks up a complaint or discriminator code.
func (s *Set) Discriminator(code string) (Discriminator, bool) {
	i := sort.Search(len(s.Discriminators), func(i int) bool { return s.Discriminators[i].Code >= code })
	if i < len(s.Discriminators) && s.Discriminators[i].Code == code {
		return s.Discriminators[i], true
	}
	return Discriminator{}, false
}

// Codes lists the discriminator codes in order.
func (s *Set) Codes() []string {
	out := make([]string, len(s.Discriminators))
	for i, d := range s.Discriminators {
		out[i] = d.Code
	}
	return out
}

var (
	defaultOnce sync.Once
	defaultSet  *Set
	defaultErr  error
)

// Default returns the embedded open rule set (default.json). It is parsed
// once; the same read-only *Set is returned to every caller. The embedded
// file is validated by this package's tests, so an error here means a
// broken build.
func Default() *Set {
	defaultOnce.Do(func() {
		defaultSet, defaultErr = Load(bytes.NewReader(defaultJSON))
	})
	if defaultErr != nil {
		panic("rules: embedded default.json is invalid: " + defaultErr.Error())
	}
	return defaultSet
}

// DefaultJSON returns a copy of the embedded default rule-set file, for
// clinics that start their own file from it.
func DefaultJSON() []byte { return bytes.Clone(defaultJSON) }

// The file format (see default.json and docs/engine.md).
type fileFloor struct {
	ID     string `json:"id"`
	Colour string `json:"colour"`
	Source string `json:"source"`
}

type fileRule struct {
	ID     string   `json:"id"`
	Param  string   `json:"param"`
	Below  *float64 `json:"below"`
	Above  *float64 `json:"above"`
	In     []string `json:"in"`
	Oxygen string   `json:"oxygen"`
	Colour string   `json:"colour"`
	Source string   `json:"source"`
}

type fileGroup struct {
	ID       string     `json:"id"`
	FromDays int        `json:"from_days"`
	ToDays   *int       `json:"to_days"`
	Label    news2.Text `json:"label"`
	Floor    *fileFloor `json:"floor"`
	Require  []string   `json:"require"`
	Rules    []fileRule `json:"rules"`
}

type fileAgeFloor struct {
	ID       string `json:"id"`
	FromDays int    `json:"from_days"`
	Colour   string `json:"colour"`
	Source   string `json:"source"`
}

type fileBandFloor struct {
	ID       string `json:"id"`
	Band     string `json:"band"`
	MinTotal int    `json:"min_total"`
	Colour   string `json:"colour"`
	Source   string `json:"source"`
}

type fileDiscriminator struct {
	Code   string     `json:"code"`
	Colour string     `json:"colour"`
	Source string     `json:"source"`
	Text   news2.Text `json:"text"`
}

type file struct {
	ID              string              `json:"id"`
	Version         string              `json:"version"`
	Title           string              `json:"title"`
	Licence         string              `json:"licence"`
	Sources         map[string]string   `json:"sources"`
	Baseline        *fileFloor          `json:"baseline"`
	Incomplete      *fileFloor          `json:"incomplete"`
	NurseConcern    *fileFloor          `json:"nurse_concern"`
	ExcludedSingle  *fileAgeFloor       `json:"news2_excluded_single_red"`
	UnknownAgeGroup string              `json:"unknown_age_group"`
	BandFloors      []fileBandFloor     `json:"news2_floors"`
	AllAges         []fileRule          `json:"all_ages"`
	AgeGroups       []fileGroup         `json:"age_groups"`
	Discriminators  []fileDiscriminator `json:"discriminators"`
}

// maxFileSize bounds what Load reads: a rule set is kilobytes.
const maxFileSize = 4 << 20

var codePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{0,63}$`)

// Load reads, validates and compiles a rule-set file. Unknown fields,
// unknown colours or parameters, rules without a cited source, duplicate
// ids, and age groups that leave a gap are errors naming the place.
func Load(r io.Reader) (*Set, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("rules: read: %w", err)
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("rules: file larger than %d bytes", maxFileSize)
	}
	if err := checkKeys(data); err != nil {
		return nil, fmt.Errorf("rules: parse: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f file
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("rules: parse: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("rules: parse: data after the rule-set object")
	}
	c := compiler{f: &f, ids: map[string]bool{}}
	s := c.compile()
	if c.err != nil {
		return nil, fmt.Errorf("rules: %w", c.err)
	}
	sum := sha256.Sum256(data)
	s.Digest = hex.EncodeToString(sum[:])
	return s, nil
}

type compiler struct {
	f   *file
	ids map[string]bool
	err error
}

func (c *compiler) fail(format string, args ...any) {
	if c.err == nil {
		c.err = fmt.Errorf(format, args...)
	}
}

func (c *compiler) id(id, where string) {
	if id == "" {
		c.fail("%s: missing id", where)
		return
	}
	if c.ids[id] {
		c.fail("%s: duplicate id %q", where, id)
	}
	c.ids[id] = true
}

func (c *compiler) source(key, where string) {
	if key == "" {
		c.fail("%s: no source cited", where)
		return
	}
	cite, ok := c.f.Sources[key]
	if !ok {
		c.fail("%s: source %q is not in sources", where, key)
	} else if strings.TrimSpace(cite) == "" {
		c.fail("%s: source %q has an empty citation", where, key)
	}
}

func (c *compiler) level(s, where string) Level {
	l, err := parseLevel(s)
	if err != nil {
		c.fail("%s: %v", where, err)
	}
	return l
}

func (c *compiler) floor(f *fileFloor, where string) Floor {
	if f == nil {
		c.fail("%s: missing", where)
		return Floor{}
	}
	c.id(f.ID, where)
	c.source(f.Source, where+" "+f.ID)
	return Floor{ID: f.ID, Level: c.level(f.Colour, where+" "+f.ID), Source: f.Source}
}

func (c *compiler) compile() *Set {
	f := c.f
	s := &Set{ID: f.ID, Version: f.Version, Title: f.Title, Licence: f.Licence, Sources: f.Sources}
	if f.ID == "" || f.Version == "" {
		c.fail("id and version are required")
	}
	if strings.ContainsAny(f.ID+f.Version, "/ \t\n") {
		c.fail("id %q and version %q may not contain '/' or spaces", f.ID, f.Version)
	}
	if len(f.Sources) == 0 {
		c.fail("sources: a rule set must cite its sources")
	}
	s.Baseline = c.floor(f.Baseline, "baseline")
	s.Incomplete = c.floor(f.Incomplete, "incomplete")
	s.NurseConcern = c.floor(f.NurseConcern, "nurse_concern")
	if x := f.ExcludedSingle; x != nil {
		fl := c.floor(&fileFloor{ID: x.ID, Colour: x.Colour, Source: x.Source}, "news2_excluded_single_red")
		if x.FromDays < 0 {
			c.fail("news2_excluded_single_red %s: from_days %d is negative", x.ID, x.FromDays)
		}
		s.ExcludedSingleRed = &AgeFloor{Floor: fl, FromDays: x.FromDays}
	}

	for _, b := range f.BandFloors {
		where := "news2_floors " + b.ID
		c.id(b.ID, where)
		c.source(b.Source, where)
		var band news2.Band
		if err := band.UnmarshalJSON([]byte(`"` + b.Band + `"`)); err != nil || band == news2.BandNone {
			c.fail("%s: band %q: want low, low-medium, medium or high", where, b.Band)
		}
		if b.MinTotal < 0 || b.MinTotal > 20 {
			c.fail("%s: min_total %d outside 0–20", where, b.MinTotal)
		}
		s.BandFloors = append(s.BandFloors, BandFloor{ID: b.ID, Band: band, MinTotal: b.MinTotal, Level: c.level(b.Colour, where), Source: b.Source})
	}
	// A more severe band (or a higher total in the same band) never gets a
	// less urgent minimum colour.
	for _, a := range s.BandFloors {
		for _, b := range s.BandFloors {
			if (a.Band > b.Band || a.Band == b.Band && a.MinTotal > b.MinTotal) && a.Level > b.Level {
				c.fail("news2_floors %s: %s is less urgent than %s's %s for a lower score", a.ID, a.Level, b.ID, b.Level)
			}
		}
	}

	s.AllAges = c.rules(f.AllAges, "all_ages")
	c.consistent(s.AllAges, "all_ages")

	if len(f.AgeGroups) == 0 {
		c.fail("age_groups: at least one group is required")
	}
	next := 0
	for i, g := range f.AgeGroups {
		where := "age_groups " + g.ID
		c.id(g.ID, where)
		if g.FromDays != next {
			c.fail("%s: from_days %d, want %d (groups must be in order, without gaps, from day 0)", where, g.FromDays, next)
		}
		last := i == len(f.AgeGroups)-1
		ag := AgeGroup{ID: g.ID, FromDays: g.FromDays, Label: g.Label}
		switch {
		case g.ToDays == nil && !last:
			c.fail("%s: only the last group may leave to_days open", where)
		case g.ToDays != nil && last:
			c.fail("%s: the last group must leave to_days open", where)
		case g.ToDays != nil && *g.ToDays <= g.FromDays:
			c.fail("%s: to_days %d not after from_days %d", where, *g.ToDays, g.FromDays)
		case g.ToDays != nil:
			ag.ToDays = *g.ToDays
			next = *g.ToDays
		}
		if g.Floor != nil {
			fl := c.floor(g.Floor, where+" floor")
			ag.Floor = &fl
		}
		for _, p := range g.Require {
			var q news2.Param
			if err := q.UnmarshalText([]byte(p)); err != nil {
				c.fail("%s: require: %v", where, err)
			}
			ag.Require |= 1 << q
		}
		ag.Rules = c.rules(g.Rules, where)
		c.consistent(ag.Rules, where)
		s.AgeGroups = append(s.AgeGroups, ag)
	}
	for i := range s.AgeGroups {
		if s.AgeGroups[i].ID == f.UnknownAgeGroup {
			s.UnknownAgeGroup = &s.AgeGroups[i]
		}
	}
	if s.UnknownAgeGroup == nil {
		c.fail("unknown_age_group %q: not an age group id", f.UnknownAgeGroup)
	}

	seen := map[string]bool{}
	for _, d := range f.Discriminators {
		where := "discriminators " + d.Code
		if !codePattern.MatchString(d.Code) {
			c.fail("%s: code must be lower case letters, digits, '_', '.' or '-'", where)
		}
		if seen[d.Code] {
			c.fail("%s: duplicate code", where)
		}
		seen[d.Code] = true
		c.source(d.Source, where)
		if d.Text.NB == "" || d.Text.EN == "" {
			c.fail("%s: text needs nb and en", where)
		}
		s.Discriminators = append(s.Discriminators, Discriminator{Code: d.Code, Level: c.level(d.Colour, where), Text: d.Text, Source: d.Source})
	}
	sort.Slice(s.Discriminators, func(i, j int) bool { return s.Discriminators[i].Code < s.Discriminators[j].Code })
	return s
}

var paramUnit = map[news2.Param]string{
	news2.ParamRR: "/min", news2.ParamSpO2: "%", news2.ParamSBP: "mm[Hg]",
	news2.ParamHR: "/min", news2.ParamTemp: "°C",
}

func (c *compiler) rules(in []fileRule, group string) []Rule {
	out := make([]Rule, 0, len(in))
	for _, fr := range in {
		where := group + " rule " + fr.ID
		c.id(fr.ID, where)
		c.source(fr.Source, where)
		r := Rule{ID: fr.ID, Level: c.level(fr.Colour, where), Source: fr.Source}
		if err := r.Param.UnmarshalText([]byte(fr.Param)); err != nil {
			c.fail("%s: %v", where, err)
			continue
		}
		if err := r.Oxygen.UnmarshalText([]byte(fr.Oxygen)); err != nil {
			c.fail("%s: %v", where, err)
		}
		categorical := r.Param == news2.ParamConsciousness || r.Param == news2.ParamOxygen
		n := 0
		for _, set := range []bool{fr.Below != nil, fr.Above != nil, len(fr.In) > 0} {
			if set {
				n++
			}
		}
		if n != 1 {
			c.fail("%s: give exactly one of below, above, in", where)
			continue
		}
		if categorical {
			if len(fr.In) == 0 {
				c.fail("%s: %s rules compare with in, not below/above", where, fr.Param)
				continue
			}
			for _, code := range fr.In {
				if !validCode(r.Param, code) {
					c.fail("%s: %q is not a %s value", where, code, fr.Param)
				}
			}
			if r.Oxygen != news2.OxygenUnknown {
				c.fail("%s: an oxygen restriction applies only to below/above rules", where)
			}
			r.Op = In
			r.Codes = append([]string(nil), fr.In...)
			r.Threshold = "= " + strings.Join(fr.In, ", ")
		} else {
			if len(fr.In) > 0 {
				c.fail("%s: %s rules compare with below or above, not in", where, fr.Param)
				continue
			}
			v, sym := fr.Below, "<"
			r.Op = Below
			if fr.Above != nil {
				v, sym = fr.Above, ">"
				r.Op = Above
			}
			r.Limit = c.limit(r.Param, *v, where)
			c.reachable(r, *v, where)
			r.Threshold = sym + " " + formatLimit(r.Param, r.Limit) + " " + paramUnit[r.Param]
		}
		if r.Oxygen != news2.OxygenUnknown {
			on := map[news2.Oxygen]string{news2.Air: " on air", news2.Supplemental: " on oxygen"}
			r.Threshold += on[r.Oxygen]
		}
		out = append(out, r)
	}
	return out
}

// limit converts a threshold to quantised units, refusing thresholds finer
// than the engine's resolution (they could never be met exactly).
func (c *compiler) limit(p news2.Param, v float64, where string) int {
	if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1e6 {
		c.fail("%s: threshold %v is not a usable number", where, v)
		return 0
	}
	if p == news2.ParamTemp {
		q := news2.QuantiseTenths(v)
		if math.Abs(v*10-float64(q)) > 1e-6 {
			c.fail("%s: temperature threshold %v is finer than 0.1 °C", where, v)
		}
		return q
	}
	q := news2.QuantiseInt(v)
	if math.Abs(v-float64(q)) > 1e-9 {
		c.fail("%s: threshold %v must be a whole number", where, v)
	}
	return q
}

// paramKind is the vital kind whose accepted range a numeric parameter has.
var paramKind = map[news2.Param]vitals.Kind{
	news2.ParamRR: vitals.RR, news2.ParamSpO2: vitals.SpO2, news2.ParamSBP: vitals.SBP,
	news2.ParamHR: vitals.HR, news2.ParamTemp: vitals.Temp,
}

// reachable refuses a threshold that no accepted value can cross (a rule
// that can never fire, e.g. a °F temperature in a °C file).
func (c *compiler) reachable(r Rule, v float64, where string) {
	rg, ok := vitals.ValidRange(paramKind[r.Param])
	if !ok {
		return
	}
	if (r.Op == Below && v <= rg.Min) || (r.Op == Above && v >= rg.Max) {
		c.fail("%s: threshold %v can never be crossed within the accepted range %s", where, v, rg)
	}
}

// overlaps reports whether two oxygen restrictions can apply to one patient.
func overlaps(a, b news2.Oxygen) bool {
	return a == news2.OxygenUnknown || b == news2.OxygenUnknown || a == b
}

// consistent refuses crossed or overlapping bands within one rule list: for
// one parameter, a more urgent colour has a more extreme threshold, and no
// value fires both a below and an above rule.
func (c *compiler) consistent(rs []Rule, where string) {
	for _, a := range rs {
		for _, b := range rs {
			if a.Param != b.Param || a.Op == In || b.Op == In || !overlaps(a.Oxygen, b.Oxygen) {
				continue
			}
			switch {
			case a.Op == b.Op && a.Level < b.Level && a.Op == Below && a.Limit > b.Limit,
				a.Op == b.Op && a.Level < b.Level && a.Op == Above && a.Limit < b.Limit:
				c.fail("%s rule %s (%s, %s) is less extreme than the less urgent %s (%s, %s): bands must nest",
					where, a.ID, a.Threshold, a.Level, b.ID, b.Threshold, b.Level)
			case a.Op == Below && b.Op == Above && a.Limit > b.Limit:
				c.fail("%s rules %s (%s) and %s (%s) overlap: no value may fire both a low and a high rule",
					where, a.ID, a.Threshold, b.ID, b.Threshold)
			}
		}
	}
}

// checkKeys refuses what encoding/json lets through in a rule-set file: an
// object key given twice, or twice in different letter case (json matches
// field names case-insensitively and keeps the last value silently).
func checkKeys(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	var walk func() error
	walk = func() error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'):
			seen := map[string]string{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return err
				}
				k, _ := kt.(string)
				if prev, dup := seen[strings.ToLower(k)]; dup {
					return fmt.Errorf("key %q given twice (as %q and %q)", k, prev, k)
				}
				seen[strings.ToLower(k)] = k
				if err := walk(); err != nil {
					return err
				}
			}
			_, err = dec.Token()
			return err
		case json.Delim('['):
			for dec.More() {
				if err := walk(); err != nil {
					return err
				}
			}
			_, err = dec.Token()
			return err
		}
		return nil
	}
	return walk()
}

func formatLimit(p news2.Param, q int) string {
	if p == news2.ParamTemp {
		return fmt.Sprintf("%d.%d", q/10, abs(q%10))
	}
	return fmt.Sprint(q)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func validCode(p news2.Param, code string) bool {
	switch p {
	case news2.ParamConsciousness:
		a, err := news2.ParseACVPU(code)
		return err == nil && a != news2.ConsciousnessUnknown
	case news2.ParamOxygen:
		return code == "air" || code == "oxygen"
	}
	return false
}
