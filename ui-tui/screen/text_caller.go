package screen

// callerTexts are the call screen's words for a returning caller found
// by the phone number (ui-tui/call, caller_match.go): the question
// whether the call is about the same patient, its answers (the form's
// rule "c."+id+"."+value) and what the earlier call said. Kept apart
// from texts only so the two can change without touching each other.
var callerTexts = map[string][2]string{
	"f.same":       {"Samme pasient?", "Same patient?"},
	"c.same.":      {"ikke svart", "not answered"},
	"c.same.yes":   {"ja, samme pasient", "yes, the same patient"},
	"c.same.no":    {"nei, en annen pasient", "no, another patient"},
	"h.same":       {"", ""},
	"n.same":       {"Forrige samtale fra nummeret (%s) gjaldt %s. Spør innringer; ←/→ svarer", "The last call from this number (%s) was about %s. Ask the caller; ←/→ answers"},
	"e.same":       {"Samme pasient: svar ja eller nei (←/→) før du går videre; ja lagrer samtalen hos %s", "Same patient: answer yes or no (←/→) before going on; yes saves the call with %s"},
	"n.match.said": {"Sagt i forrige samtale (%s): bekreft med innringer", "Said in the last call (%s): confirm with the caller"},
}

func init() {
	for id, t := range callerTexts {
		texts[id] = t
	}
}
