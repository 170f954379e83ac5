// Package tui is the phone-triage terminal application (triage-tui) for the
// nurses of the 116117 phone centre: the app shell that lists its screens
// once (the call flow, the queue board in package queueboard and the
// monitor board in package monitorboard), built with bubbletea v2,
// lipgloss v2 and bubbles v2.
//
// Every screen is its own model with its own KeyMap and ShortHelp; the
// screens share a small screen.Context (size, language, theme, clock,
// nurse) instead of globals, and the form inputs live in package widget.
// I/O happens only in tea.Cmds, through small interfaces
// (queueboard.Source, monitorboard.MonitorFeed, call.Service), so the
// models and views are tested with fakes and ui-tui/wire wires the real
// engine, store and devices. Live data arrives as messages received from
// channels, re-subscribed after each message.
package tui
