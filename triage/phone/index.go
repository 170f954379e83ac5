package phone

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// IndexFormat is the format tag every index file carries, so that a file
// of another kind is refused with a clear error rather than half-read.
// Format 2 (index 2026.12) replaced format 1's "keywords" by "terms",
// dropped the "default" vanlig criterion (a decision never names a
// criterion nobody affirmed), and added "infection", "source", age bounds
// and the required "annet" complaint.
const IndexFormat = "legevakt-phone-index/2"

// AnnetID is the id of the complaint every index must have: "Annet /
// uavklart problem", for a call no other chapter fits, so that no call is
// filed under the wrong complaint. Search always lists it last.
const AnnetID = "annet"

// MaxAgeYears is the oldest age a call or an age bound may give.
const MaxAgeYears = 125

// Index is a versioned criteria index: complaints (chapters), each with
// criteria at the three levels. The version travels with every Decision.
type Index struct {
	Format  string `json:"format"`
	ID      string `json:"id"`      // short name, e.g. "demo" or "nimn-4"
	Version string `json:"version"` // the index's own version string
	// Demonstration marks an index that is not a licensed clinical index;
	// the UI shows Notice on every screen that uses it.
	Demonstration bool        `json:"demonstration"`
	Title         Text        `json:"title"`
	Notice        Text        `json:"notice"`
	Source        string      `json:"source"` // who wrote it and from what
	Complaints    []Complaint `json:"complaints"`
}

// AgeRange bounds a complaint or a criterion to ages in whole years, both
// ends included: {"min_years": 0, "max_years": 0} is a baby under one.
type AgeRange struct {
	MinYears int `json:"min_years"`
	MaxYears int `json:"max_years"`
	// MaxMonths bounds a babies' criterion more finely than whole years
	// ("under 6 months": max_months 5), so that a 9-month-old is not asked
	// it; nil for none. With the age in months unknown it does not apply
	// (the question is asked, as with any unknown age).
	MaxMonths *int `json:"max_months,omitempty"`
}

// ContainsMonths reports whether an age of years and months (months the
// whole age in months, -1 when not known; years -1 when unknown) is inside
// r: the years as Contains, and the months at most MaxMonths.
func (r *AgeRange) ContainsMonths(years, months int) bool {
	if !r.Contains(years) {
		return false
	}
	return r == nil || r.MaxMonths == nil || months < 0 || months <= *r.MaxMonths
}

// Contains reports whether age (whole years, -1 unknown) is inside r. A
// nil range and an unknown age are always inside: with the age unknown,
// every question is asked.
func (r *AgeRange) Contains(age int) bool {
	return r == nil || age < 0 || (age >= r.MinYears && age <= r.MaxYears)
}

// Complaint is one chapter of the index: a presenting complaint with its
// criteria, asked from most to least urgent.
type Complaint struct {
	Chapter uint8  `json:"chapter"`
	ID      string `json:"id"`
	Name    Text   `json:"name"`
	// Terms are the words nurses and callers use for the complaint, lay
	// words and synonyms in both languages, for Search.
	Terms []string `json:"terms"`
	// Infection marks a complaint where infection is the likely cause, so
	// that the NICE NG51 sepsis rule applies to its reported vitals. It is
	// required in the file (true or false), never assumed.
	Infection bool `json:"infection"`
	// Age bounds the complaint to an age group (a children's chapter);
	// nil for every age.
	Age *AgeRange `json:"age,omitempty"`
	// Floors are the levels a reported vital sets on its own for this
	// complaint (Floor), each with its published threshold; none for most
	// complaints.
	Floors []Floor `json:"floors,omitempty"`
	// Source cites the public sources of the chapter's criteria.
	Source   string      `json:"source"`
	Criteria []Criterion `json:"criteria"`

	names []string   // folded names (nb, en), for name-prefix hits
	terms []termWord // folded words of names and terms, for Search
}

// Criterion is one question of a complaint; a "yes" sets at least its level.
type Criterion struct {
	Code Code `json:"code"`
	Text Text `json:"text"`
	// Age bounds the question to an age group (babies' criteria); nil for
	// every age.
	Age *AgeRange `json:"age,omitempty"`
	// Source cites where a threshold in the text comes from, when the
	// chapter's source does not say it.
	Source string `json:"source,omitempty"`
	// Requires are the measurable conditions a vanlig criterion's text
	// states (Condition), as data: a reported vital outside one means the
	// criterion does not hold. Every vanlig criterion whose text names a
	// vital with a number, or "without fever", carries its condition
	// (TestMeasurableCriteriaCarryTheirCondition).
	Requires []Condition `json:"requires,omitempty"`
}

// Questions are all the criteria the nurse may ask about, most urgent
// first: the akutt and haster criteria of every age.
func (c *Complaint) Questions() []Criterion { return c.QuestionsFor(-1) }

// QuestionsFor are the akutt and haster criteria for a patient of age
// ageYears (-1 unknown: all of them), akutt first. A criterion bounded to
// other ages (babies' criteria for an adult) is left out.
func (c *Complaint) QuestionsFor(ageYears int) []Criterion { return c.QuestionsAt(ageYears, -1) }

// QuestionsAt is QuestionsFor with the age in months too (a child under
// two; -1 when not known): a criterion bounded in months ("baby under 6
// months") is left out for an older baby.
func (c *Complaint) QuestionsAt(ageYears, ageMonths int) []Criterion {
	out := make([]Criterion, 0, len(c.Criteria))
	for _, lvl := range []Level{Akutt, Haster} {
		for _, cr := range c.Criteria {
			if cr.Code.Level == lvl && cr.Age.ContainsMonths(ageYears, ageMonths) {
				out = append(out, cr)
			}
		}
	}
	return out
}

// VanligFor are the vanlig criteria the nurse may affirm for a patient of
// age ageYears (-1 unknown: all of them).
func (c *Complaint) VanligFor(ageYears int) []Criterion { return c.VanligAt(ageYears, -1) }

// VanligAt is VanligFor with the age in months too (-1 when not known).
func (c *Complaint) VanligAt(ageYears, ageMonths int) []Criterion {
	var out []Criterion
	for _, cr := range c.Criteria {
		if cr.Code.Level == Vanlig && cr.Age.ContainsMonths(ageYears, ageMonths) {
			out = append(out, cr)
		}
	}
	return out
}

// Criterion returns the complaint's criterion with code, if any.
func (c *Complaint) Criterion(code Code) (Criterion, bool) {
	for _, cr := range c.Criteria {
		if cr.Code == code {
			return cr, true
		}
	}
	return Criterion{}, false
}

// Complaint returns the complaint with id, if any.
func (ix *Index) Complaint(id string) (*Complaint, bool) {
	for i := range ix.Complaints {
		if ix.Complaints[i].ID == id {
			return &ix.Complaints[i], true
		}
	}
	return nil, false
}

//go:embed demo-index.json
var demoIndexJSON []byte

// DemoIndexJSON returns a copy of the embedded demonstration index file, so
// that a clinic can see the format it must supply.
func DemoIndexJSON() []byte { return bytes.Clone(demoIndexJSON) }

// DemoIndex returns the embedded demonstration index: the complaints a
// legevakt phone line meets every day, written by this project. It is NOT Norsk indeks for medisinsk
// nødhjelp and is marked Demonstration; a clinic loads its licensed index.
func DemoIndex() *Index {
	ix, err := ParseIndex(demoIndexJSON)
	if err != nil {
		// The embedded file is checked by TestDemoIndexIsValid; reaching this
		// means the binary was built from a broken tree.
		panic("phone: embedded demonstration index is invalid: " + err.Error())
	}
	return ix
}

// ParseIndex reads and checks an index file (JSON). Every problem is
// reported with where it is: unknown fields, a wrong format tag, missing
// texts or sources, codes whose chapter does not match their complaint,
// duplicate codes or ids, a missing infection flag, age bounds out of
// order or outside their complaint's, a complaint with no question for
// every age, and a missing "annet" complaint.
func ParseIndex(data []byte) (*Index, error) {
	if err := checkBilingual(data); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var ix Index
	if err := dec.Decode(&ix); err != nil {
		return nil, fmt.Errorf("phone index: %w", err)
	}
	if dec.More() {
		return nil, errors.New("phone index: trailing data after the index object")
	}
	if err := ix.check(); err != nil {
		return nil, err
	}
	for i := range ix.Complaints {
		ix.Complaints[i].prepare()
	}
	return &ix, nil
}

// checkBilingual refuses a plain string where an index file needs a text in
// both languages (title, notice, a complaint's name, a criterion's text):
// Text.UnmarshalJSON accepts the plain form only for calls saved before the
// reasons were bilingual, and would copy one language into both.
func checkBilingual(data []byte) error {
	var raw struct {
		Title, Notice json.RawMessage
		Complaints    []struct {
			Chapter   uint8
			Name      json.RawMessage
			Infection json.RawMessage
			Criteria  []struct {
				Code string
				Text json.RawMessage
			}
		}
	}
	if json.NewDecoder(bytes.NewReader(data)).Decode(&raw) != nil {
		return nil // the strict decode in ParseIndex reports it
	}
	plain := func(m json.RawMessage) bool { return len(m) > 0 && m[0] == '"' }
	if plain(raw.Title) || plain(raw.Notice) {
		return errors.New("phone index: title and notice need {\"nb\", \"en\"}, not a plain string")
	}
	for _, c := range raw.Complaints {
		if plain(c.Name) {
			return fmt.Errorf("phone index: complaint chapter %02d: name needs {\"nb\", \"en\"}, not a plain string", c.Chapter)
		}
		if len(c.Infection) == 0 {
			return fmt.Errorf("phone index: complaint chapter %02d: infection is missing; want true or false", c.Chapter)
		}
		for _, cr := range c.Criteria {
			if plain(cr.Text) {
				return fmt.Errorf("phone index: complaint chapter %02d: criterion %s needs text {\"nb\", \"en\"}, not a plain string", c.Chapter, cr.Code)
			}
		}
	}
	return nil
}

// check validates an age range: 0 <= min <= max <= MaxAgeYears.
func (r *AgeRange) check() error {
	if r == nil {
		return nil
	}
	if r.MinYears < 0 || r.MaxYears > MaxAgeYears || r.MinYears > r.MaxYears {
		return fmt.Errorf("min_years %d, max_years %d: want 0 <= min_years <= max_years <= %d", r.MinYears, r.MaxYears, MaxAgeYears)
	}
	if m := r.MaxMonths; m != nil && (r.MinYears != 0 || *m < 0 || *m >= 12*(r.MaxYears+1)) {
		return fmt.Errorf("max_months %d: want 0-%d with min_years 0 (inside max_years %d)", *m, 12*(r.MaxYears+1)-1, r.MaxYears)
	}
	return nil
}

func (ix *Index) check() error {
	if ix.Format != IndexFormat {
		return fmt.Errorf("phone index: format %q, want %q", ix.Format, IndexFormat)
	}
	if strings.TrimSpace(ix.ID) == "" {
		return errors.New("phone index: id is empty")
	}
	if strings.TrimSpace(ix.Version) == "" {
		return errors.New("phone index: version is empty")
	}
	if ix.Demonstration && (ix.Notice.NB == "" || ix.Notice.EN == "") {
		return errors.New("phone index: a demonstration index needs a notice in nb and en")
	}
	if len(ix.Complaints) == 0 {
		return errors.New("phone index: no complaints")
	}
	ids := map[string]bool{}
	chapters := map[uint8]string{}
	for i, c := range ix.Complaints {
		where := fmt.Sprintf("phone index: complaint %d (%q)", i+1, c.ID)
		if c.ID == "" {
			return fmt.Errorf("%s: id is empty", where)
		}
		if ids[c.ID] {
			return fmt.Errorf("%s: duplicate id", where)
		}
		ids[c.ID] = true
		if c.Chapter < 1 || c.Chapter > 99 {
			return fmt.Errorf("%s: chapter %d out of range 1-99", where, c.Chapter)
		}
		if other, dup := chapters[c.Chapter]; dup {
			return fmt.Errorf("%s: chapter %02d already used by %q", where, c.Chapter, other)
		}
		chapters[c.Chapter] = c.ID
		if c.Name.NB == "" || c.Name.EN == "" {
			return fmt.Errorf("%s: name needs both nb and en", where)
		}
		if strings.TrimSpace(c.Source) == "" {
			return fmt.Errorf("%s: source is empty; cite the public sources of its criteria", where)
		}
		if len(c.Terms) == 0 {
			return fmt.Errorf("%s: no terms; want the words callers use for it", where)
		}
		for _, t := range c.Terms {
			if strings.TrimSpace(fold(t)) == "" {
				return fmt.Errorf("%s: term %q has no letters or digits", where, t)
			}
		}
		if err := c.Age.check(); err != nil {
			return fmt.Errorf("%s: age: %w", where, err)
		}
		if c.ID == AnnetID && c.Age != nil {
			return fmt.Errorf("%s: the annet complaint is for every age; want no age bounds", where)
		}
		codes := map[Code]bool{}
		for _, f := range c.Floors {
			if err := f.check(); err != nil {
				return fmt.Errorf("%s: %w", where, err)
			}
		}
		unbounded := 0
		for _, cr := range c.Criteria {
			if cr.Code.Chapter != c.Chapter {
				return fmt.Errorf("%s: criterion %s is not in chapter %02d", where, cr.Code, c.Chapter)
			}
			if codes[cr.Code] {
				return fmt.Errorf("%s: duplicate criterion %s", where, cr.Code)
			}
			codes[cr.Code] = true
			if cr.Text.NB == "" || cr.Text.EN == "" {
				return fmt.Errorf("%s: criterion %s needs text in both nb and en", where, cr.Code)
			}
			if err := cr.Age.check(); err != nil {
				return fmt.Errorf("%s: criterion %s: age: %w", where, cr.Code, err)
			}
			for _, cd := range cr.Requires {
				if err := cd.check(cr.Code.Level); err != nil {
					return fmt.Errorf("%s: criterion %s: %w", where, cr.Code, err)
				}
			}
			if c.Age != nil && cr.Age != nil && (cr.Age.MinYears < c.Age.MinYears || cr.Age.MaxYears > c.Age.MaxYears) {
				return fmt.Errorf("%s: criterion %s: age %d-%d is outside the complaint's %d-%d", where, cr.Code, cr.Age.MinYears, cr.Age.MaxYears, c.Age.MinYears, c.Age.MaxYears)
			}
			if cr.Code.Level != Vanlig && cr.Age == nil {
				unbounded++
			}
		}
		if unbounded == 0 {
			return fmt.Errorf("%s: no akutt or haster criterion for every age; want at least one without age bounds", where)
		}
	}
	if _, ok := ix.Complaint(AnnetID); !ok {
		return fmt.Errorf("phone index: no complaint %q (Annet / uavklart problem); every index needs one so that no call is misfiled", AnnetID)
	}
	return nil
}
