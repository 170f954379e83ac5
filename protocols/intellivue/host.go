package intellivue

import (
	"time"

	"github.com/legevakt/workstation/protocols/codec"
)

// Host timing, chosen from the notes (shared/reference/protocols.md §b and
// appendix):
//   - AssociationRetry: the association request is repeated every 5 s while
//     unanswered (OpenICE re-associates every 2 s; a monitor answers in
//     well under a second, and 5 s keeps a wrongly set MIB port from being
//     flooded).
//   - RefusedRetry: after a refusal, wait 10 s before asking again.
//   - MDSCreateTimeout: an accepted association must be followed by the MDS
//     Create Event within 5 s, else abort and start again.
//   - Silence: 10 s without any frame while polling means the association
//     is lost: the monitor's own connection time-out for a minimum poll
//     period under 3.3 s is 10 s (OpenICE's reading of the guide); OpenICE
//     declares loss after 5 s, LNhealth reconnects after 15 s.
//   - PollPeriod and PollRenew: extended polls of 10 minutes re-issued every
//     9 minutes, as OpenICE does.
//   - KeepAlive: an MDS single poll every 5 s, because without host traffic
//     the monitor stops after 1-2 minutes (mdpnp#128); OpenICE polls after
//     4 s of quiet, LNhealth every 1 s, VSCaptureMP every 6 s.
//   - DataQuiet: while polling, numerics arrive every 1,024 ms. When no poll
//     result has come for 3 s (three missed numerics), the keep-alive goes
//     out at once rather than at its 5 s turn: a monitor that rebooted
//     answers it by an abort or a remote error, and the host re-associates
//     at once instead of after the 10 s silence (a rebooted monitor that
//     answers is never silent). At most one such probe per DataQuiet.
//   - MaxRemoteErrors: two remote errors in a row to the host's polls, with
//     no poll result between them, mean the association is gone even when
//     the error value does not say so (MeansNoAssociation): after the
//     first, the host probes at once with an MDS single poll, which a
//     monitor holding the association always answers with a result.
//
// Together: after a monitor reboot the host associates again within
// DataQuiet plus one exchange (the probe, its answer, and one more probe
// when the answer is a plain remote error), which is RebootRecovery at
// most, well inside the device layer's 10 s data watchdog.
const (
	AssociationRetry = 5 * time.Second
	RefusedRetry     = 10 * time.Second
	MDSCreateTimeout = 5 * time.Second
	Silence          = 10 * time.Second
	PollPeriod       = 10 * time.Minute
	PollRenew        = 9 * time.Minute
	KeepAlive        = 5 * time.Second
	DataQuiet        = 3 * time.Second
	MaxRemoteErrors  = 2
	ReleaseTimeout   = 5 * time.Second
	// RebootRecovery bounds the time from a monitor reboot (the last poll
	// result of the old association) to the new association's first poll
	// result, when the rebooted monitor answers at once: DataQuiet, the
	// probes and one association round trip, with room for a 250 ms tick.
	RebootRecovery = DataQuiet + time.Second
	// RateFrames frames at most in any RateWindow: the guide's limit for
	// the host.
	RateFrames = 4
	RateWindow = 128 * time.Millisecond
)

// Host states.
const (
	StateIdle        = "idle"
	StateAssociating = "associating"
	StateRefused     = "refused"
	StateAwaitingMDS = "awaiting-mds-create"
	StatePolling     = "polling"
	StateReleasing   = "releasing"
	StateReleased    = "released"
)

// Host is the IntelliVue host conversation as a pure state machine:
// associate, answer the MDS Create Event, keep extended polls for numerics,
// real-time sample arrays and alarms running, send keep-alives, re-associate after
// abort, refusal or silence, and release on request. Frames leave through
// a queue that never lets more than RateFrames out in any RateWindow;
// queued frames go out from later Received and Tick calls.
type Host struct {
	state      string
	since      time.Time // when the state was entered (or the last retry)
	lastRx     time.Time
	lastPoll   time.Time
	lastKeep   time.Time
	lastData   time.Time // the last poll result
	remoteErrs int       // remote errors to polls since the last poll result
	invoke     uint16
	pollNumber uint16
	userInfo   UserInfo

	queue [][]byte
	sent  [RateFrames]time.Time // ring of the last send times
	next  int
}

// NewHost returns the IntelliVue host behind the protocols/codec contract.
func NewHost(codec.Config) codec.Host { return NewMIBHost() }

// NewMIBHost returns a host that announces the guide's RS232 poll profile
// (max_mtu_tx 1000) with 1 s numerics and real-time sample arrays.
func NewMIBHost() *Host {
	return &Host{state: StateIdle, userInfo: UserInfo{
		ProtocolVersion: ProtocolVersion1, NomenclatureVersion: NomenclatureV1, SystemType: SystemTypeClient, StartupMode: StartupCold,
		PollProfile: PollProfile{Revision: PollProfileRev0, MinPollPeriod: TicksOf(125 * time.Millisecond), MaxMTURx: 2500,
			MaxMTUTx: 1000, MaxBWTx: 0xFFFFFFFF, Options: PollOptionsDyn},
		ExtendedOptions: DefaultExtOptions,
	}}
}

// State names the phase: idle, associating, refused, awaiting-mds-create,
// polling, releasing or released.
func (h *Host) State() string { return h.state }

// Queued is the number of frames waiting for the rate limit.
func (h *Host) Queued() int { return len(h.queue) }

// MaxQueue bounds the frames waiting for the rate limit; beyond it the
// oldest are dropped (a monitor that floods the host with MDS Create
// Events must not make the host's memory grow).
const MaxQueue = 64

func (h *Host) enqueue(r Record) {
	f, err := AppendFrame(nil, r)
	if err != nil {
		return
	}
	if len(h.queue) >= MaxQueue {
		h.queue = h.queue[1:]
	}
	h.queue = append(h.queue, f)
}

func (h *Host) setState(s string, now time.Time) {
	h.state, h.since = s, now
}

// associate starts a new association. Frames still queued for the old one
// are obsolete and dropped; abort first tells the monitor to forget the old
// association.
func (h *Host) associate(now time.Time, abort bool) {
	h.queue = nil
	if abort {
		h.enqueue(&Abort{})
	}
	h.enqueue(&AssociationRequest{UserInfo: h.userInfo})
	h.setState(StateAssociating, now)
	h.remoteErrs = 0
}

// keepAlive queues an MDS single poll: the keep-alive, and the probe that
// asks whether the association still stands.
func (h *Host) keepAlive(now time.Time) {
	h.pollNumber++
	h.enqueue(&PollRequest{InvokeID: h.nextInvoke(), PollNumber: h.pollNumber, Partition: PartitionObj, ObjectType: ClassMDS})
	h.lastKeep = now
}

func (h *Host) nextInvoke() uint16 {
	h.invoke++
	return h.invoke
}

// polls queues the extended polls: numerics, real-time sample arrays,
// and the alert monitor (attribute group NOM_ATTR_GRP_AL_MON: the patient
// and technical alarm lists, pushed by the monitor for the poll period).
func (h *Host) polls(now time.Time) {
	for _, p := range []struct{ class, group uint16 }{{ClassNumeric, 0}, {ClassRTSA, 0}, {ClassAlert, AttrGroupAlMon}} {
		h.pollNumber++
		h.enqueue(&PollRequest{InvokeID: h.nextInvoke(), Extended: true, PollNumber: h.pollNumber, Partition: PartitionObj,
			ObjectType: p.class, AttrGroup: p.group, Period: TicksOf(PollPeriod)})
	}
	h.lastPoll = now
}

// drain releases queued frames within the rate limit.
func (h *Host) drain(now time.Time) [][]byte {
	var out [][]byte
	for len(h.queue) > 0 {
		oldest := h.sent[h.next]
		if !oldest.IsZero() && !now.Before(oldest) && now.Sub(oldest) < RateWindow {
			break // RateFrames already went out in the last RateWindow
		}
		h.sent[h.next] = now
		h.next = (h.next + 1) % RateFrames
		out = append(out, h.queue[0])
		h.queue[0] = nil
		h.queue = h.queue[1:]
	}
	return out
}

// Open starts (or restarts, after the port reopened) the conversation
// with an association request. Frames queued for the old link are
// dropped.
func (h *Host) Open(now time.Time) [][]byte {
	h.lastRx = now
	h.associate(now, false)
	return h.drain(now)
}

// Received reacts to a record from the monitor: accept, refuse, abort, the
// MDS Create Event (answered with a result echoing its invoke id, then the
// extended polls), a release from either side, and remote errors to the
// host's polls (a lost association: see MaxRemoteErrors). Any record
// counts as life; only poll results count as data.
func (h *Host) Received(rec any, now time.Time) [][]byte {
	if h.state == StateIdle {
		return nil
	}
	h.lastRx = now
	switch r := rec.(type) {
	case *AssociationAccept:
		if h.state == StateAssociating {
			h.setState(StateAwaitingMDS, now)
		}
	case *AssociationRefuse:
		h.setState(StateRefused, now)
	case *Abort:
		switch h.state {
		case StateReleased, StateAssociating:
			// In associating, the abort turns our request down (or answers
			// a request of the old association): the request is repeated
			// at AssociationRetry, not at once, or a monitor that aborts
			// every request is flooded at the rate limit.
		case StateAwaitingMDS:
			h.setState(StateAssociating, now)
		default:
			h.associate(now, false)
		}
	case *MDSCreateEvent:
		if h.state == StateReleasing || h.state == StateReleased {
			break
		}
		h.enqueue(&MDSCreateResult{InvokeID: r.InvokeID, Object: MDSObject, CurrentTime: r.EventTime})
		h.polls(now)
		h.lastKeep, h.lastData, h.remoteErrs = now, now, 0
		h.setState(StatePolling, now)
	case *PollResult:
		h.lastData, h.remoteErrs = now, 0
	case *RemoteError:
		if h.state != StatePolling {
			break
		}
		h.remoteErrs++
		switch {
		case r.MeansNoAssociation() || h.remoteErrs >= MaxRemoteErrors:
			// The monitor has forgotten the association (it rebooted, or
			// its MIB port was reset): tell it to drop whatever it holds
			// and associate again.
			h.associate(now, true)
		default:
			// One error may be a request the monitor does not support;
			// ask at once whether the association still stands.
			h.keepAlive(now)
		}
	case *ReleaseRequest:
		// The monitor ends the association: confirm, then start again.
		if h.state != StateReleasing && h.state != StateReleased {
			h.associate(now, false)
		}
		h.queue = append([][]byte{frameOrNil(&ReleaseResponse{})}, h.queue...)
	case *ReleaseResponse:
		if h.state == StateReleasing {
			h.setState(StateReleased, now)
		}
	}
	return h.drain(now)
}

// Tick sends what is due: retries, poll renewals, keep-alives, and a new
// association after silence; then queued frames within the rate limit.
func (h *Host) Tick(now time.Time) [][]byte {
	switch h.state {
	case StateAssociating:
		if now.Sub(h.since) >= AssociationRetry {
			h.associate(now, false)
		}
	case StateRefused:
		if now.Sub(h.since) >= RefusedRetry {
			h.associate(now, false)
		}
	case StateAwaitingMDS:
		if now.Sub(h.since) >= MDSCreateTimeout {
			h.associate(now, true)
		}
	case StatePolling:
		switch {
		case now.Sub(h.lastRx) >= Silence:
			h.associate(now, true)
		case now.Sub(h.lastPoll) >= PollRenew:
			h.polls(now)
		case now.Sub(h.lastKeep) >= KeepAlive,
			now.Sub(h.lastData) >= DataQuiet && now.Sub(h.lastKeep) >= DataQuiet:
			h.keepAlive(now)
		}
	case StateReleasing:
		if now.Sub(h.since) >= ReleaseTimeout {
			h.setState(StateReleased, now)
		}
	}
	return h.drain(now)
}

// Release asks the monitor to end the association (before closing the
// port on purpose).
func (h *Host) Release(now time.Time) [][]byte {
	if h.state == StateIdle || h.state == StateReleased {
		return nil
	}
	h.enqueue(&ReleaseRequest{})
	h.setState(StateReleasing, now)
	return h.drain(now)
}

// Close is Release: the frames that end the association (codec.Closer).
func (h *Host) Close(now time.Time) [][]byte { return h.Release(now) }
