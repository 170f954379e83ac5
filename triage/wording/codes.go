package wording

// The words for the codes the engine and the store keep (a triage colour
// "blue", a phone level "vanlig", a call's outcome "handed_over", a
// channel "walk_in", an encounter status, a NEWS2 band): every screen
// shows these through the functions here, never the code itself, so a
// bokmål screen never shows "BLUE" or "handed_over". A code this table
// does not know is worded as unknown (Unknown), never shown as it is.

// unknownCode words a code that no table here knows: an upper-case label
// for a colour or level column, a lower-case word inside a sentence.
var (
	unknownLabel = Text{NB: "UKJENT", EN: "UNKNOWN"}
	unknownWord  = Text{NB: "ukjent", EN: "unknown"}
)

// Unknown is the word for a value that the workstation does not know, in
// lower case for the middle of a sentence: "ukjent", "unknown".
func Unknown(lang Lang) string { return unknownWord.In(lang) }

// colours label the triage colours (triage.Colour's codes), in capitals as
// the swatch shows them: no signal is carried by colour alone.
var colours = map[string]Text{
	"red": {"RØD", "RED"}, "orange": {"ORANSJE", "ORANGE"}, "yellow": {"GUL", "YELLOW"},
	"green": {"GRØNN", "GREEN"}, "blue": {"BLÅ", "BLUE"},
}

// Colour labels a triage colour by its code ("red" … "blue", as
// triage.Colour.String writes it) in lang: "BLÅ", "BLUE"; an unknown code
// is "UKJENT"/"UNKNOWN".
func Colour(code string, lang Lang) string { return label(colours, code, lang) }

// levels label the phone urgency levels (phone.Level's codes).
var levels = map[string]Text{
	"akutt": {"AKUTT", "ACUTE"}, "haster": {"HASTER", "URGENT"}, "vanlig": {"VANLIG", "NON-URGENT"},
}

// Level labels a phone urgency level by its code ("akutt", "haster",
// "vanlig", as phone.Level.String writes it) in lang: "VANLIG",
// "NON-URGENT"; an unknown code is "UKJENT"/"UNKNOWN".
func Level(code string, lang Lang) string { return label(levels, code, lang) }

// outcomes word how a call ended for the queue (the store's outcomes).
var outcomes = map[string]Text{
	"waiting":     {"venter på legevakten", "waits at the clinic"},
	"expected":    {"forventet ankomst", "expected arrival"},
	"handed_over": {"overlatt til AMK (113)", "handed over to the EMCC (113)"},
	"closed":      {"avsluttet med råd", "closed with advice"},
	// A call that ended before the triage was done: it waits for its
	// call-back (contract 1).
	"dropped": {"brutt – ring tilbake", "dropped – call back"},
}

// callBacks label a dropped call's call-back priority (the store's
// CallBackImmediate, CallBackSoon), in capitals for a list's first
// column: akutt was proposed before the line went, or not.
var callBacks = map[string]Text{
	"immediate": {"RING NÅ", "CALL NOW"}, "soon": {"RING SNART", "CALL SOON"},
}

// CallBack labels a dropped call's call-back priority by its code
// ("immediate", "soon") in lang: "RING NÅ", "CALL NOW"; an unknown code
// is "UKJENT"/"UNKNOWN".
func CallBack(code string, lang Lang) string { return label(callBacks, code, lang) }

// Outcome words a call's outcome by the store's code ("waiting",
// "expected", "handed_over", "closed", "dropped") in lang; an unknown code is
// "ukjent"/"unknown".
func Outcome(code string, lang Lang) string { return word(outcomes, code, lang) }

// label is code's text in lang, or the unknown label.
func label(tbl map[string]Text, code string, lang Lang) string {
	if t, ok := tbl[code]; ok {
		return t.In(lang)
	}
	return unknownLabel.In(lang)
}

// word is code's text in lang, or the unknown word.
func word(tbl map[string]Text, code string, lang Lang) string {
	if t, ok := tbl[code]; ok {
		return t.In(lang)
	}
	return unknownWord.In(lang)
}

// CodeSet is one kind of code with the function that words it.
type CodeSet struct {
	Kind  string // "colour", "level", "outcome", "channel", "status", "band", ...
	Codes []string
	Word  func(code string, lang Lang) string
}

// CodeSets lists every kind of code the screens show and every code of
// each, so a test can render each in both languages and check that no
// code reaches a screen as it is.
func CodeSets() []CodeSet {
	return []CodeSet{
		{"colour", keys(colours), Colour},
		{"level", keys(levels), Level},
		{"outcome", keys(outcomes), Outcome},
		{"call-back", keys(callBacks), CallBack},
		{"channel", keys(channels), Channel},
		{"status", keys(statuses), Status},
		{"band", keys(bands), Band},
		{"basis", keys(bases), Basis},
		{"ecg finding", keys(ecgFindings), ECGFinding},
	}
}

func keys(tbl map[string]Text) []string {
	out := make([]string, 0, len(tbl))
	for k := range tbl {
		out = append(out, k)
	}
	return out
}
