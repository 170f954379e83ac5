package desk

// muted runs f with the widgets' callbacks muted. While the app itself
// fills or clears widgets (a new patient, a re-triage, a restored draft,
// a failed monitor pick), their OnChanged would otherwise re-score and save
// the draft halfway. Calls nest: an inner one keeps the outer mute.
func (a *App) muted(f func()) {
	was := a.muting
	a.muting = true
	defer func() { a.muting = was }()
	f()
}
