// Package devices connects the workstation to bedside monitors, oximeters
// and ECG boards over serial lines, and gives biomedical engineers what they
// need to test a driver without a monitor.
//
// It is protocol-agnostic plumbing around the sans-I/O codecs of
// protocols/codec: a Profile names a protocol and the line settings; Start
// runs one Device (open the port, drive the protocol's Host, decode, watch
// for silence, reopen with backoff after an unplug) and reports
// observations, waves and status changes on channels; StartSimulator plays a
// scripted patient (devices/scenario) as real protocol bytes on a
// pseudo-terminal; Record and Replay move captures (protocols/capture).
//
// One goroutine owns a port. Close stops every goroutine a Device or a
// Simulator started. Clocks are injected with options, so fault tests run
// fast. docs/devices.md describes the configuration file and the states.
package devices
