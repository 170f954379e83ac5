package phone

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The dead-end words, lay words and synonyms in both languages,
// typos and inflections: each finds the complaint a nurse means among the
// first three, and annet is always last.
func TestSearchNeverDeadEnds(t *testing.T) {
	ix := DemoIndex()
	cases := []struct {
		query string
		age   int
		want  string
	}{
		// The dead ends.
		{"hals", 30, "ear-nose-throat"},
		{"throat", 30, "ear-nose-throat"},
		{"paracet", 30, "poisoning"},
		{"paracetamol", 30, "poisoning"},
		{"hjerteinfarkt", 70, "chest-pain"},
		{"heart attack", 70, "chest-pain"},
		{"hofte", 80, "injury"},
		{"hip", 80, "injury"},
		{"svimmel", 50, "dizziness-fainting"},
		{"dizzy", 50, "dizziness-fainting"},
		{"forvirr", 78, "confusion"},
		{"confused", 78, "confusion"},
		// Lay words and synonyms.
		{"vondt i halsen", 20, "ear-nose-throat"},
		{"sår hals", 20, "ear-nose-throat"},
		{"tannpine", 30, "dental"},
		{"knappebatteri", 12, "foreign-body"},
		{"button battery", 12, "foreign-body"},
		{"ecstasy", 20, "intoxication"},
		{"krupp", 4, "breathing-child"},
		{"bjeffehoste", 4, "breathing-child"},
		{"gravid", 29, "pregnancy"},
		{"blod i urinen", 60, "urinary"},
		{"svie ved vannlating", 45, "urinary"},
		{"ryggen", 40, "back-pain"},
		{"hodeskade", 78, "head-injury"},
		{"slo hodet", 78, "head-injury"},
		{"ser ikke", 65, "eye"},
		{"synstap", 65, "eye"},
		{"hjertebank", 50, "palpitations"},
		{"blodpropp", 50, "limb-swelling"},
		{"hoggorm", 30, "bites"},
		{"flått", 30, "bites"},
		{"brent", 30, "burns"},
		{"kramper", 30, "seizures"},
		{"epilepsi", 30, "seizures"},
		{"føling", 30, "diabetes"},
		{"selvmord", 30, "mental-health"},
		{"panikkangst", 33, "mental-health"},
		{"testikkel", 16, "genital"},
		{"resept", 50, "medicines"},
		{"hoste", 50, "cough-cold"},
		{"utslett", 30, "skin-rash"},
		{"bevisstløs", 50, "unconscious"},
		{"puster ikke", 50, "unconscious"},
		{"hjertestans", 50, "unconscious"},
		{"kvelning", 2, "foreign-body"},
		{"drukning", 8, "environment"},
		{"heteslag", 30, "environment"},
		{"nedkjølt", 80, "environment"},
		{"høyt blodtrykk", 60, "blood-pressure"},
		{"øreverk", 5, "ear-nose-throat"},
		{"tinnitus", 50, "ear-nose-throat"},
		{"kvalme", 40, "gastro-adult"},
		{"forstoppelse", 40, "abdominal-pain"},
		{"gulsott", 40, "abdominal-pain"},
		{"prikking", 60, "stroke"},
		{"glasskår", 30, "bleeding"},
		{"vaksine", 30, "medicines"},
		// Typos: a letter wrong, missing, doubled or swapped.
		{"hodpine", 40, "headache"},
		{"hoddepine", 40, "headache"},
		{"hodepnie", 40, "headache"},
		{"brystmserter", 60, "chest-pain"},
		{"svimel", 50, "dizziness-fainting"},
		{"paracetamoll", 30, "poisoning"},
		{"forgitning", 30, "poisoning"},
		{"knappebateri", 12, "foreign-body"},
		// Inflections and word forms.
		{"svimmelhet", 50, "dizziness-fainting"},
		{"forvirret", 78, "confusion"},
		{"hofta", 80, "injury"},
		{"brystsmertene", 60, "chest-pain"},
		{"besvimte", 50, "dizziness-fainting"},
		{"kastet opp", 30, "gastro-adult"},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s age %d", c.query, c.age), func(t *testing.T) {
			got := ix.Search(c.query, c.age)
			require.NotEmpty(t, got)
			assert.Equal(t, AnnetID, got[len(got)-1].Complaint.ID, "annet is last")
			top := ids(got)[:min(3, len(got))]
			assert.Contains(t, top, c.want, "%q (age %d) gave %v", c.query, c.age, ids(got))
		})
	}
}

// Age-aware ordering: a child's chapters come first for a child, an
// adult's for an adult; with the age unknown both are listed.
func TestSearchOrdersByAge(t *testing.T) {
	ix := DemoIndex()
	cases := []struct {
		query  string
		age    int
		first  string
		before string // listed after first
	}{
		{"feber", 3, "fever-child", "fever-adult"},
		{"feber", 40, "fever-adult", "fever-child"},
		{"oppkast", 1, "child-gastro", "gastro-adult"},
		{"oppkast", 50, "gastro-adult", "child-gastro"},
		{"pustevansker", 4, "breathing-child", "breathing"},
		{"pustevansker", 60, "breathing", "breathing-child"},
	}
	for _, c := range cases {
		got := ids(ix.Search(c.query, c.age))
		require.NotEmpty(t, got)
		assert.Equal(t, c.first, got[0], "%q age %d: %v", c.query, c.age, got)
		assert.Contains(t, got, c.before, "the other age group's chapter is still listed, lower")
	}
	unknown := ids(ix.Search("feber", -1))
	assert.Contains(t, unknown, "fever-child")
	assert.Contains(t, unknown, "fever-adult")
}

// Babies' criteria are asked only for babies; with the age unknown every
// criterion is asked.
func TestBabiesCriteriaOnlyForBabies(t *testing.T) {
	ix := DemoIndex()
	c, ok := ix.Complaint("fever-child")
	require.True(t, ok)
	has := func(qs []Criterion, code string) bool {
		for _, q := range qs {
			if q.Code.String() == code {
				return true
			}
		}
		return false
	}
	assert.True(t, has(c.QuestionsFor(0), "H.05.01"), "a baby is asked about fever under 3 months")
	assert.False(t, has(c.QuestionsFor(3), "H.05.01"), "a 3-year-old is not")
	assert.True(t, has(c.QuestionsFor(-1), "H.05.01"), "age unknown: asked")
	for i := range ix.Complaints {
		c := &ix.Complaints[i]
		for _, age := range []int{-1, 0, 1, 4, 12, 16, 40, 90, MaxAgeYears} {
			assert.NotEmpty(t, c.QuestionsFor(age), "%s has a question at age %d", c.ID, age)
		}
	}
}

// Every complaint is found by its own name in both languages, first.
func TestEveryComplaintIsFoundByItsName(t *testing.T) {
	ix := DemoIndex()
	for i := range ix.Complaints {
		c := &ix.Complaints[i]
		for _, name := range []string{c.Name.NB, c.Name.EN} {
			got := ix.Search(name, -1)
			if c.ID == AnnetID {
				assert.Equal(t, AnnetID, got[len(got)-1].Complaint.ID)
				continue
			}
			assert.Equal(t, c.ID, got[0].Complaint.ID, "%q gave %v", name, ids(got))
			assert.Greater(t, got[0].Score, 0.0)
		}
	}
}

func TestEditDistance(t *testing.T) {
	cases := []struct {
		a, b string
		max  int
		want int
	}{
		{"hodepine", "hodepine", 2, 0},
		{"hodpine", "hodepine", 2, 1},
		{"hodepnie", "hodepine", 2, 1}, // a swap counts one
		{"abc", "xyz", 1, 2},           // beyond the bound: max+1
		{"kort", "en mye lengre tekst", 2, 3},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, editDistance(c.a, c.b, c.max), "%s/%s", c.a, c.b)
	}
}

func FuzzSearch(f *testing.F) {
	for _, s := range []string{"hals", "hodpine", "", "06", "ææææ", "a b c d e f"} {
		f.Add(s, 30)
	}
	ix := DemoIndex()
	f.Fuzz(func(t *testing.T, q string, age int) {
		got := ix.Search(q, age)
		if len(got) == 0 || got[len(got)-1].Complaint.ID != AnnetID {
			t.Fatalf("search %q dead-ended: %v", q, ids(got))
		}
		for i := 1; i < len(got)-1; i++ {
			if got[i].Score > got[i-1].Score {
				t.Fatalf("search %q not best first: %v", q, got)
			}
		}
	})
}

func BenchmarkSearch(b *testing.B) {
	ix := DemoIndex()
	b.ReportAllocs()
	for b.Loop() {
		_ = ix.Search("vondt i halsen", 30)
	}
}

func BenchmarkSearchTypo(b *testing.B) {
	ix := DemoIndex()
	b.ReportAllocs()
	for b.Loop() {
		_ = ix.Search("brystmserter", 60)
	}
}
