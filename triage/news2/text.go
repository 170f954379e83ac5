package news2

import "time"

// The RCP Chart 4 minimum monitoring frequency and clinical response, in
// bokmål and English. The ward wording of the RCP ("registrar", "HDU") has
// no legevakt counterpart, so the escalation targets are mapped to the
// legevakt: the doctor on duty (legevaktlege), then AMK 113
// (shared/reference/scoring-research.md §1.2).
var (
	monitor12h = Monitoring{Code: "12-hourly", Interval: 12 * time.Hour, Text: Text{
		NB: "Minst hver 12. time", EN: "At least every 12 hours"}}
	monitor4h = Monitoring{Code: "4-6-hourly", Interval: 4 * time.Hour, Text: Text{
		NB: "Minst hver 4.–6. time", EN: "At least every 4–6 hours"}}
	monitor1h = Monitoring{Code: "hourly", Interval: time.Hour, Text: Text{
		NB: "Minst hver time", EN: "At least every hour"}}
	monitorContinuous = Monitoring{Code: "continuous", Interval: 0, Text: Text{
		NB: "Kontinuerlig overvåking av vitale parametere", EN: "Continuous monitoring of vital signs"}}

	responseZero = Text{
		NB: "Fortsett rutinemessig NEWS2-overvåking.",
		EN: "Continue routine NEWS2 monitoring."}
	responseLow = Text{
		NB: "Sykepleier vurderer pasienten og avgjør om målingene skal gjøres oftere eller om det skal eskaleres.",
		EN: "A registered nurse assesses the patient and decides whether to monitor more often or escalate."}
	responseLowMedium = Text{
		NB: "Sykepleier informerer legevaktlegen, som vurderer pasienten og tar stilling til eskalering.",
		EN: "The nurse informs the doctor on duty, who reviews the patient and decides whether to escalate."}
	responseMedium = Text{
		NB: "Hasterespons: sykepleier informerer straks legevaktlegen og ber om rask vurdering av lege med akuttmedisinsk kompetanse; pasienten overvåkes.",
		EN: "Urgent response: the nurse immediately informs the doctor on duty and asks for urgent assessment by a clinician competent in acute illness; the patient is monitored."}
	responseHigh = Text{
		NB: "Akuttrespons: umiddelbar vurdering av legevaktlegen; ring AMK 113 for videre behandling med intensivkompetanse.",
		EN: "Emergency response: immediate assessment by the doctor on duty; call AMK 113 for care with critical-care competence."}

	incompleteText = Text{
		NB: "Ufullstendig sett: NEWS2 kan ikke gis før alle sju parametere er målt. Mål det som mangler.",
		EN: "Incomplete set: no NEWS2 can be given until all seven parameters are measured. Measure what is missing."}

	exclusionText = [...]Text{
		NoExclusion: {},
		Under16: {
			NB: "NEWS2 skal ikke brukes til barn og ungdom under 16 år.",
			EN: "NEWS2 is not for children and young people under 16 years."},
		Pregnancy: {
			NB: "NEWS2 skal ikke brukes under svangerskap og i postpartum-perioden.",
			EN: "NEWS2 is not for pregnancy and the postpartum period."},
	}
)

// guidance returns the Chart 4 monitoring and response for a band. A total
// of 0 and a total of 1–4 are both "low" but differ in monitoring.
func guidance(b Band, total int) (Monitoring, Text) {
	switch b {
	case High:
		return monitorContinuous, responseHigh
	case Medium:
		return monitor1h, responseMedium
	case LowMedium:
		return monitor1h, responseLowMedium
	}
	if total == 0 {
		return monitor12h, responseZero
	}
	return monitor4h, responseLow
}
