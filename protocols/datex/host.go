package datex

import (
	"time"

	"github.com/legevakt/workstation/protocols/codec"
)

// Host timing. The monitor pushes once asked; the host only asks again
// when the data stops, as LNhealth does (re-request after 10 s without
// data, re-send the wave request after 10 s without waves). Waves also
// stop by themselves when CTS is held off for more than 2 s.
const (
	// RequestInterval is the tx_ival of the displayed-values request: the
	// shortest periodic interval the monitor accepts.
	RequestInterval = 5 * time.Second
	// DataSilence is how long without a displayed-values record before the
	// request is sent again.
	DataSilence = 10 * time.Second
	// WaveSilence is how long without a wave record before the wave
	// request is sent again.
	WaveSilence = 10 * time.Second
)

// driLevels is the order in which the host tries DRI levels until data
// comes: 0 first (LNhealth reports that the monitor then picks its own),
// then from the newest level (12, '19 software) down to 2.
var driLevels = []uint8{0, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2}

// Host states.
const (
	StateIdle       = "idle"       // not opened
	StateRequesting = "requesting" // request sent, no displayed values yet
	StateLive       = "live"       // displayed values arrive
	StateStopped    = "stopped"    // Stop sent
)

// Host is the S/5 host conversation: it asks for displayed values every
// RequestInterval and for ECG1 and pleth waves, and asks again after
// silence. It is a pure state machine: no clocks, no I/O.
type Host struct {
	state       string
	level       int // index into driLevels
	gotData     bool
	lastData    time.Time
	lastReq     time.Time
	lastWave    time.Time
	lastWaveReq time.Time
	waves       []WaveType
}

// NewHost returns the S/5 host behind the protocols/codec contract.
func NewHost(codec.Config) codec.Host { return NewS5Host() }

// NewS5Host returns a host that requests basic-class displayed values, the
// alarm status and the ECG1 and pleth waveforms.
func NewS5Host() *Host { return &Host{state: StateIdle, waves: []WaveType{WaveECG1, WavePleth}} }

// State names the phase: idle, requesting, live or stopped.
func (h *Host) State() string { return h.state }

// DRILevel is the DRI level the host currently asks with.
func (h *Host) DRILevel() uint8 { return driLevels[h.level] }

func (h *Host) phdbRequest(interval int16) []byte {
	f, _ := AppendFrame(nil, &PHDBRequest{Header: Header{DRILevel: h.DRILevel()}, Type: Displayed, Interval: interval, Classes: ClassBasic})
	return f
}

// alarmRequest asks for the alarm status now and at every change
// (differential mode), or ends that.
func (h *Host) alarmRequest(cmd AlarmCommand) []byte {
	f, _ := AppendFrame(nil, &AlarmRequest{Header: Header{DRILevel: h.DRILevel()}, Command: cmd})
	return f
}

func (h *Host) waveRequest(cmd WaveCommand) []byte {
	f, _ := AppendFrame(nil, &WaveRequest{Header: Header{DRILevel: h.DRILevel()}, Command: cmd, Types: h.waves})
	return f
}

// Open starts (or restarts, after the port reopened) the conversation: the
// displayed-values request, the alarm request (differential mode: the
// status now and at every change) and the wave start request.
func (h *Host) Open(now time.Time) [][]byte {
	h.state = StateRequesting
	h.lastReq, h.lastWaveReq = now, now
	h.lastData, h.lastWave = time.Time{}, time.Time{}
	return [][]byte{h.phdbRequest(int16(RequestInterval / time.Second)), h.alarmRequest(AlarmEnterDiffMode), h.waveRequest(WaveStart)}
}

// Received notes the arrival of data; the monitor needs no answers.
func (h *Host) Received(rec any, now time.Time) [][]byte {
	if h.state == StateIdle || h.state == StateStopped {
		return nil
	}
	switch r := rec.(type) {
	case *PHDB:
		for _, s := range r.Subrecords {
			if s.Type == Displayed {
				h.lastData = now
				h.gotData = true
				h.state = StateLive
				break
			}
		}
	case *WaveRecord:
		h.lastWave = now
	}
	return nil
}

// latest returns the later of two times.
func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// Tick re-sends the requests whose data has gone silent. Until the first
// displayed values arrive, each re-request tries the next DRI level. The
// alarm request goes with the displayed-values request: in differential
// mode the monitor is silent while nothing changes, so the values' silence
// is the sign that it forgot both.
func (h *Host) Tick(now time.Time) [][]byte {
	if h.state == StateIdle || h.state == StateStopped {
		return nil
	}
	var out [][]byte
	if now.Sub(latest(h.lastData, h.lastReq)) >= DataSilence {
		if !h.gotData {
			h.level = (h.level + 1) % len(driLevels)
		}
		h.state = StateRequesting
		h.lastReq = now
		out = append(out, h.phdbRequest(int16(RequestInterval/time.Second)), h.alarmRequest(AlarmEnterDiffMode))
	}
	if now.Sub(latest(h.lastWave, h.lastWaveReq)) >= WaveSilence {
		h.lastWaveReq = now
		out = append(out, h.waveRequest(WaveStart))
	}
	return out
}

// Stop cancels the periodic values, leaves the alarms' differential mode
// and stops the waves, e.g. before the port is closed on purpose.
func (h *Host) Stop(time.Time) [][]byte {
	h.state = StateStopped
	return [][]byte{h.phdbRequest(IntervalCancel), h.alarmRequest(AlarmExitDiffMode), h.waveRequest(WaveStop)}
}

// Close is Stop: the frames that end the conversation (codec.Closer).
func (h *Host) Close(now time.Time) [][]byte {
	if h.state == StateIdle || h.state == StateStopped {
		return nil
	}
	return h.Stop(now)
}
