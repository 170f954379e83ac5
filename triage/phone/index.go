package phone

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// IndexFormat is the format tag every index file carries, so that a file
// of another kind is refused with a clear error rather than half-read.
const IndexFormat = "legevakt-phone-index/1"

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

// Complaint is one chapter of the index: a presenting complaint with its
// criteria, asked from most to least urgent.
type Complaint struct {
	Chapter  uint8       `json:"chapter"`
	ID       string      `json:"id"`
	Name     Text        `json:"name"`
	Keywords []string    `json:"keywords"`
	Criteria []Criterion `json:"criteria"`
	// Default is the vanlig criterion that applies when no akutt or haster
	// criterion is met (advice, appointment, self-care).
	Default Code `json:"default"`

	fold   string   // folded name and keywords in both languages, for Search
	foldNB string   // folded bokmål name
	foldEN string   // folded English name
	words  []string // the words of fold
}

// Criterion is one question of a complaint; a "yes" sets at least its level.
type Criterion struct {
	Code Code `json:"code"`
	Text Text `json:"text"`
}

// Questions are the criteria the nurse asks about, most urgent first: the
// akutt and haster criteria. The vanlig criteria describe the default
// outcome and are not asked.
func (c *Complaint) Questions() []Criterion {
	out := make([]Criterion, 0, len(c.Criteria))
	for _, lvl := range []Level{Akutt, Haster} {
		for _, cr := range c.Criteria {
			if cr.Code.Level == lvl {
				out = append(out, cr)
			}
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

// DemoIndex returns the embedded demonstration index: about a dozen common
// complaints written by this project. It is NOT Norsk indeks for medisinsk
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
// texts, codes whose chapter does not match their complaint, duplicate
// codes or ids, and a default that is not one of the complaint's vanlig
// criteria.
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
		c := &ix.Complaints[i]
		parts := append([]string{c.Name.NB, c.Name.EN}, c.Keywords...)
		c.fold = fold(strings.Join(parts, " "))
		c.foldNB, c.foldEN = fold(c.Name.NB), fold(c.Name.EN)
		c.words = strings.Fields(c.fold)
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
			Chapter  uint8
			Name     json.RawMessage
			Criteria []struct {
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
		for _, cr := range c.Criteria {
			if plain(cr.Text) {
				return fmt.Errorf("phone index: complaint chapter %02d: criterion %s needs text {\"nb\", \"en\"}, not a plain string", c.Chapter, cr.Code)
			}
		}
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
		codes := map[Code]bool{}
		asked := 0
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
			if cr.Code.Level != Vanlig {
				asked++
			}
		}
		if asked == 0 {
			return fmt.Errorf("%s: no akutt or haster criteria to ask", where)
		}
		if c.Default.Level != Vanlig || !codes[c.Default] {
			return fmt.Errorf("%s: default %s must be one of the complaint's V criteria", where, c.Default)
		}
	}
	return nil
}

// Match is one search hit.
type Match struct {
	Complaint *Complaint
	Rank      int // lower is better: 0 name prefix, 1 word prefix, 2 substring, 3 chapter number
}

// Search finds complaints for what the nurse has typed so far, best first:
// a name that starts with the query, then any name or keyword word that
// starts with it, then a substring anywhere, then the chapter number. It
// ignores case and folds æ ø å and accents, so "hodepine", "HODEP" and
// "hode" all find headache; every word of the query must match. An empty
// query lists all complaints in chapter order.
func (ix *Index) Search(query string) []Match {
	q := strings.Fields(fold(query))
	out := make([]Match, 0, len(ix.Complaints))
	for i := range ix.Complaints {
		c := &ix.Complaints[i]
		rank, ok := 0, true
		for _, w := range q {
			r, hit := matchWord(c, w)
			if !hit {
				ok = false
				break
			}
			rank = max(rank, r)
		}
		if ok {
			out = append(out, Match{Complaint: c, Rank: rank})
		}
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].Rank != out[b].Rank {
			return out[a].Rank < out[b].Rank
		}
		return out[a].Complaint.Chapter < out[b].Complaint.Chapter
	})
	return out
}

func matchWord(c *Complaint, w string) (int, bool) {
	switch {
	case strings.HasPrefix(c.foldNB, w) || strings.HasPrefix(c.foldEN, w):
		return 0, true
	case wordPrefix(c.words, w):
		return 1, true
	case strings.Contains(c.fold, w):
		return 2, true
	case strings.TrimLeft(w, "0") == fmt.Sprint(c.Chapter) && w != "":
		return 3, true
	}
	return 0, false
}

func wordPrefix(words []string, w string) bool {
	for _, f := range words {
		if strings.HasPrefix(f, w) {
			return true
		}
	}
	return false
}

// fold lower-cases s and maps Norwegian and accented letters to plain
// ASCII (æ→ae, ø→o, å→a, é→e), so typing without a Norwegian keyboard finds
// the same complaints. Punctuation becomes a space.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.ToLower(s) {
		switch r {
		case 'æ':
			b.WriteString("ae")
		case 'ø', 'ö', 'ó', 'ò':
			b.WriteByte('o')
		case 'å', 'ä', 'á', 'à':
			b.WriteByte('a')
		case 'é', 'è', 'ê':
			b.WriteByte('e')
		case 'ü', 'ú':
			b.WriteByte('u')
		default:
			switch {
			case unicode.IsLetter(r) || unicode.IsDigit(r):
				b.WriteRune(r)
			default:
				b.WriteByte(' ')
			}
		}
	}
	return b.String()
}
