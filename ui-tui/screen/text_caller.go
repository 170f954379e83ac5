package screen

// callerTexts are the call screen's words for a returning caller found
// by the phone number (ui-tui/call, caller_match.go): the question
// whether the call is about the same patient, its answers (the form's
// rule "c."+id+"."+value) and what the earlier call said; and for an
// identity number no living patient can have. Kept apart from texts only
// so the two can change without touching each other.
var callerTexts = map[string][2]string{
	"f.same":       {"Samme pasient?", "Same patient?"},
	"c.same.":      {"ikke svart", "not answered"},
	"c.same.yes":   {"ja, samme pasient", "yes, the same patient"},
	"c.same.no":    {"nei, en annen pasient", "no, another patient"},
	"h.same":       {"", ""},
	"n.same":       {"Gjaldt %s: spør innringer (←/→)", "Was about %s: ask the caller (←/→)"},
	"n.repeat.who": {"Har ringt før (%s) om %s", "Called before (%s) about %s"},
	"e.same":       {"Samme pasient: svar ja eller nei (←/→) før du går videre; ja lagrer samtalen hos %s", "Same patient: answer yes or no (←/→) before going on; yes saves the call with %s"},
	// An onset understood as a time still to come (phrase.ErrOnsetFuture).
	"n.onset.future": {"«%s» ligger fram i tid: ingen tid utledet, lagres som sagt. Mente du i går?", "\"%s\" is still to come: no time derived, kept as said. Did you mean yesterday?"},
	// An identity number whose date exists but that no living patient
	// has (patient.ErrFuture, patient.ErrTooOld).
	"e.nid.future": {"Fødselsnummer: fødselsdatoen i nummeret ligger fram i tid; sjekk sifrene (godtatt: født i dag eller før, 0–%d år). Tomt = ukjent", "Identity number: the date of birth in the number is in the future; check the digits (accepted: born today or before, 0–%d years). Empty = unknown"},
	"e.nid.old":    {"Fødselsnummer: fødselsdatoen i nummeret gir over %[1]d år; sjekk årstallet (godtatt: 0–%[1]d år). Tomt = ukjent", "Identity number: the date of birth in the number gives over %[1]d years; check the year (accepted: 0–%[1]d years). Empty = unknown"},
}

func init() {
	for id, t := range callerTexts {
		texts[id] = t
	}
}
