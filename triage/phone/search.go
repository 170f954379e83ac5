package phone

import (
	"math/bits"
	"slices"
	"strings"
	"unicode"
)

// Match is one search hit.
type Match struct {
	Complaint *Complaint
	// Score is how well the complaint fits the query, higher is better:
	// 1 per query word found as a whole word, less for a prefix, a stem,
	// a part of a compound or a typo, averaged over the query's words,
	// plus a bonus for a name that starts with the query and for a
	// chapter of the patient's age group. The annet complaint, always
	// listed last, scores 0.
	Score float64
}

// termWord is one folded word of a complaint's names or terms.
type termWord struct {
	w    string
	mask uint32 // letterMask(w)
	name bool   // from the complaint's name, which weighs a little more
}

// letterMask sets one bit per byte value of s (modulo 32): letters in one
// word and not in another each need an edit, so the masks bound the edit
// distance from below and most pairs are ruled out without computing it.
// Bytes that share a bit only weaken the bound, never break it.
func letterMask(s string) uint32 {
	var m uint32
	for i := 0; i < len(s); i++ {
		m |= 1 << (s[i] & 31)
	}
	return m
}

// prepare folds the complaint's names and terms for Search.
func (c *Complaint) prepare() {
	c.names = []string{squash(fold(c.Name.NB)), squash(fold(c.Name.EN))}
	seen := map[string]int{}
	add := func(s string, name bool) {
		for _, w := range strings.Fields(fold(s)) {
			if i, ok := seen[w]; ok {
				c.terms[i].name = c.terms[i].name || name
				continue
			}
			seen[w] = len(c.terms)
			c.terms = append(c.terms, termWord{w: w, mask: letterMask(w), name: name})
		}
	}
	add(c.Name.NB, true)
	add(c.Name.EN, true)
	for _, t := range c.Terms {
		add(t, false)
		c.names = append(c.names, squash(fold(t)))
	}
}

// stopWords are the small words of both languages that carry no
// complaint ("vondt i halsen", "pain in the hip"); they are ignored unless
// the query has nothing else.
var stopWords = map[string]bool{
	"i": true, "og": true, "pa": true, "av": true, "med": true, "til": true, "en": true, "et": true, "ei": true,
	"har": true, "er": true, "som": true, "det": true, "den": true, "seg": true, "hos": true, "for": true,
	"the": true, "of": true, "and": true, "in": true, "a": true, "an": true, "with": true, "has": true,
	"is": true, "to": true, "on": true, "my": true, "min": true, "mitt": true, "mi": true,
}

// Search finds complaints for what the nurse has typed, best first, for a
// patient of age ageYears (-1 unknown). It never dead-ends: the annet
// complaint (Annet / uavklart problem) is always the last match.
//
// Matching ignores case, folds æ ø å and accents, and compares each query
// word with the words of the complaint's names and terms (lay words and
// synonyms in both languages): a whole word scores 1, a prefix 0.9 (the
// nurse is still typing), a word that extends a term of 4 or more letters
// 0.85 (inflection: svimmelhet, forvirret), a shared stem of 5 or more
// letters 0.75 (hofta, hofte), a part of a compound 0.6 (infarkt in
// hjerteinfarkt), and a typo within a bounded edit distance (1 for words
// of 4-6 letters, 2 from 7; transpositions count 1) 0.7 less 0.1 per edit.
// Small words (i, og, the) are ignored. A name that starts with the whole
// query adds 0.2, a term that does 0.1. With the age known, a chapter
// bounded to the patient's age group adds 0.15 (children's chapters first
// for a child) and one for another age group counts half. Ties keep
// chapter order. An empty query lists every complaint in chapter order.
func (ix *Index) Search(query string, ageYears int) []Match {
	var annet *Complaint
	words := queryWords(query)
	out := make([]Match, 0, len(ix.Complaints))
	for i := range ix.Complaints {
		c := &ix.Complaints[i]
		if c.ID == AnnetID {
			annet = c
			continue
		}
		if len(words) == 0 {
			out = append(out, Match{Complaint: c})
			continue
		}
		if s := score(c, words, ageYears); s > 0 {
			out = append(out, Match{Complaint: c, Score: s})
		}
	}
	if len(words) > 0 {
		slices.SortStableFunc(out, func(a, b Match) int {
			switch {
			case a.Score > b.Score:
				return -1
			case a.Score < b.Score:
				return 1
			}
			return int(a.Complaint.Chapter) - int(b.Complaint.Chapter)
		})
	}
	if annet != nil {
		out = append(out, Match{Complaint: annet})
	}
	return out
}

// queryWords folds the query into its words, small words dropped unless
// nothing else is left.
func queryWords(query string) []string {
	all := strings.Fields(fold(query))
	out := make([]string, 0, len(all))
	for _, w := range all {
		if !stopWords[w] {
			out = append(out, w)
		}
	}
	if len(out) == 0 {
		return all
	}
	return out
}

// minWordScore is the least a query word must score to count as found.
const minWordScore = 0.5

// score is how well c fits the query words for age ageYears; 0 when no
// word is found.
func score(c *Complaint, words []string, ageYears int) float64 {
	sum, found := 0.0, false
	for _, w := range words {
		best := 0.0
		if isDigits(w) && strings.TrimLeft(w, "0") == itoa(int(c.Chapter)) {
			best = 1
		}
		qm := letterMask(w)
		for _, t := range c.terms {
			s := wordScore(w, t.w, qm, t.mask)
			if !t.name {
				s *= 0.95
			}
			best = max(best, s)
		}
		if best >= minWordScore {
			found = true
			sum += best
		}
	}
	if !found {
		return 0
	}
	s := sum / float64(len(words))
	whole := strings.Join(words, " ")
	for i, n := range c.names {
		if strings.HasPrefix(n, whole) {
			if i < 2 {
				s += 0.2
			} else {
				s += 0.1
			}
			break
		}
	}
	if c.Age != nil && ageYears >= 0 {
		if c.Age.Contains(ageYears) {
			s += 0.15
		} else {
			s /= 2
		}
	}
	return s
}

// wordScore compares one folded query word q with one folded term word t
// (qm and tm their letter masks).
func wordScore(q, t string, qm, tm uint32) float64 {
	switch {
	case q == t:
		return 1
	case strings.HasPrefix(t, q):
		if len(q) < 2 {
			return 0.5
		}
		return 0.9
	case len(t) >= 4 && strings.HasPrefix(q, t):
		return 0.85
	}
	if len(q) < 4 {
		return 0
	}
	best := 0.0
	if cp := commonPrefix(q, t); cp >= 5 || cp >= 4 && cp >= min(len(q), len(t))-1 {
		best = 0.75
	}
	// A word inside another has all its letters there (the masks say so
	// without scanning).
	if qm&^tm == 0 && strings.Contains(t, q) || len(t) >= 5 && tm&^qm == 0 && strings.Contains(q, t) {
		best = max(best, 0.6)
	}
	maxEdits := 1
	if len(q) >= 7 {
		maxEdits = 2
	}
	if bits.OnesCount32(qm&^tm) > maxEdits {
		// Letters of q that t lacks each need an edit, in t and in any
		// prefix of it.
		return best
	}
	if d := editDistance(q, t, maxEdits); d <= maxEdits {
		best = max(best, 0.7-0.1*float64(d))
	} else if len(t) > len(q) {
		// A typo in a word still being typed: compare with t's start.
		if d := editDistance(q, t[:len(q)], maxEdits); d <= maxEdits {
			best = max(best, 0.65-0.1*float64(d))
		}
	}
	return best
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// maxEditLen bounds the words compared by edit distance, so the work per
// pair is fixed and nothing is allocated.
const maxEditLen = 31

// editDistance is the optimal string alignment distance of a and b (a
// transposition of two neighbours counts one edit), or maxEdits+1 as soon
// as it must exceed maxEdits.
func editDistance(a, b string, maxEdits int) int {
	if len(a) > maxEditLen || len(b) > maxEditLen {
		return maxEdits + 1
	}
	if d := len(a) - len(b); d > maxEdits || -d > maxEdits {
		return maxEdits + 1
	}
	// Three rows in turn (two back, one back, this one), so no row is
	// copied.
	var rows [3][maxEditLen + 1]int
	for j := 0; j <= len(b); j++ {
		rows[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		prev2, prev, cur := &rows[(i+1)%3], &rows[(i+2)%3], &rows[i%3] // rows i-2, i-1, i
		cur[0] = i
		rowMin := i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > maxEdits {
			return maxEdits + 1
		}
	}
	return rows[len(a)%3][len(b)]
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func itoa(n int) string {
	if n == 0 {
		return ""
	}
	var b [3]byte
	i := len(b)
	for n > 0 && i > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// squash folds runs of spaces to one, so phrases compare as typed.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

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
