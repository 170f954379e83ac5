package i18n

import "github.com/legevakt/workstation/triage/wording"

// The device bar's line about monitor values the store has not taken yet
// (workstation/monitoring.Recorder keeps and retries them): the nurse
// must know that what the monitor shows is not yet in the record.
var nbRecording = map[string]string{
	"record.badge":     "IKKE LAGRET",
	"record.pending":   "Monitorverdier ikke lagret ennå: %d venter, prøver igjen",
	"record.spooled":   "%d av dem i reservefil på denne maskinen",
	"record.overbound": "reservefilen kan ikke skrives, verdiene ligger bare i minnet – ikke lukk programmet",
	"record.help":      "kontakt IT hvis det varer",
}

var enRecording = map[string]string{
	"record.badge":     "NOT STORED",
	"record.pending":   "Monitor values not stored yet: %d waiting, retrying",
	"record.spooled":   "%d of them in a spool file on this computer",
	"record.overbound": "the spool file cannot be written, the values are only in memory – do not close the program",
	"record.help":      "call IT if this persists",
}

func init() { wording.Register(nbRecording, enRecording) }
