package desk

// mute silences the widgets' callbacks while the desktop itself fills or
// clears widgets (a new patient, a re-triage, a restored draft, a failed
// monitor pick): their OnChanged would otherwise re-score and save the
// draft halfway. The App and every screen share one, so a screen filled
// from the App is muted too.
type mute struct{ on bool }

// run runs f with the callbacks muted. Calls nest: an inner one keeps the
// outer mute.
func (m *mute) run(f func()) {
	was := m.on
	m.on = true
	defer func() { m.on = was }()
	f()
}

// active reports whether a callback must do nothing: the desktop, not the
// nurse, changed its widget.
func (m *mute) active() bool { return m.on }
