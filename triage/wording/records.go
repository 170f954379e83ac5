package wording

// The words for values the store keeps as codes: the basis a user gives
// for opening a patient outside their queue, and the quick findings of an
// ECG review. The store holds the codes only; these name them on screen
// and in the patient's access log.

var bases = map[string]Text{
	"akutt_behov":         {"akutt behov", "acute need"},
	"samtykke":            {"samtykke fra pasienten", "the patient's consent"},
	"pagaende_behandling": {"pågående behandling", "ongoing treatment"},
	"annet":               {"annet", "other"},
	"nodtilgang":          {"nødtilgang", "emergency access"},
}

// Basis words a basis code (store.BasisReason: "akutt_behov", "samtykke",
// "pagaende_behandling", "annet", "nodtilgang") in lang; an unknown code
// is worded unknown ("ukjent"/"unknown"), never shown as it is.
func Basis(code string, lang Lang) string { return word(bases, code, lang) }

var ecgFindings = map[string]Text{
	"sinusrytme":        {"Sinusrytme", "Sinus rhythm"},
	"atrieflimmer":      {"Atrieflimmer", "Atrial fibrillation"},
	"st_elevasjon":      {"ST-elevasjon", "ST elevation"},
	"st_depresjon":      {"ST-depresjon", "ST depression"},
	"mistenkt_stemi":    {"Mistenkt STEMI", "Suspected STEMI"},
	"venstre_grenblokk": {"Venstre grenblokk", "Left bundle branch block"},
	"av_blokk":          {"AV-blokk", "AV block"},
	"normalt_ekg":       {"Normalt EKG", "Normal ECG"},
}

// ECGFinding words a quick ECG finding's code (store.ECGFinding:
// "sinusrytme", "mistenkt_stemi", ...) in lang; an unknown code is worded
// unknown ("ukjent"/"unknown"), never shown as it is.
func ECGFinding(code string, lang Lang) string { return word(ecgFindings, code, lang) }
