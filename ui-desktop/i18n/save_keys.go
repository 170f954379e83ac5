package i18n

import "github.com/legevakt/workstation/triage/wording"

// The board's live NEWS2, and what a save says when nothing at all was measured: a colour from no
// value is no triage (QA G12: a reflex double Ctrl+S turned an untriaged
// patient into a two-hour green).
var nbSave = map[string]string{
	// The live NEWS2 of a patient on a monitor beside her triage's.
	"board.news2.now":         "nå %d",
	"board.news2.now.partial": "nå minst %d",
	"triage.err.nothing":      "Ingenting er målt: skriv inn eller hent minst én vital verdi (RF, SpO2, BT, puls, bevissthet eller temperatur) før triagen lagres. Kan du ikke måle, sett hastegraden selv under «Overstyr hastegrad».",
}

var enSave = map[string]string{
	"board.news2.now":         "now %d",
	"board.news2.now.partial": "now at least %d",
	"triage.err.nothing":      "Nothing is measured: type or take at least one vital sign (RR, SpO2, BP, pulse, consciousness or temperature) before the triage is saved. If you cannot measure, set the colour yourself under 'Override colour'.",
}

func init() { wording.Register(nbSave, enSave) }
