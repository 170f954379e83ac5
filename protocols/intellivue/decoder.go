package intellivue

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/legevakt/workstation/protocols/codec"
)

const errNone = codec.ErrorKind(255)

// Decoder is the streaming IntelliVue decoder. Feed it bytes in any split;
// Scan delivers one record per good frame. Frames with a bad FCS, a length
// that disagrees with the frame, an abort sequence, or an unknown message
// are dropped and counted, and decoding goes on at the next C0. The
// decoder also remembers, per sample-array handle, the sample period,
// specification and scale the monitor sent once, so that later sample
// arrays can be converted (see Waves). The zero value is ready to use.
type Decoder struct {
	// unknown describes the last frame counted as unknown_record.
	unknown string
	// loc is the zone of the monitor's wall clock (nil: UTC); see
	// NewCodecIn.
	loc     *time.Location
	in      []byte
	pos     int
	frame   []byte // unescaped bytes since C0
	inFrame bool
	esc     bool
	drop    bool // frame too long: skip to the next C0
	garbage bool // inside a run of bytes outside any frame
	stats   codec.Stats
	rec     Record

	// Reused records and their backing arrays.
	aarq    AssociationRequest
	aare    AssociationAccept
	mdsEv   MDSCreateEvent
	mdsRes  MDSCreateResult
	pollReq PollRequest
	poll    PollResult
	roer    RemoteError
	attrs   []Attribute
	objs    []PollObject
	ctxs    []PollContext

	waves map[uint16]*SampleArrayInfo
	// ecgLeadsOff: every ECG array of the last sample-array result that
	// had any was lead-off (see ECGLeadsOff).
	ecgLeadsOff bool
}

// NewDecoder returns an empty decoder.
func NewDecoder() *Decoder { return &Decoder{} }

// Feed appends bytes from the wire; any split of the stream is fine. The
// decoder copies p.
func (d *Decoder) Feed(p []byte) {
	d.stats.Bytes += uint64(len(p))
	d.in, d.pos = codec.Refill(d.in, d.pos, p)
}

// Scan advances to the next complete record; false when more bytes are
// needed.
func (d *Decoder) Scan() bool {
	d.rec = nil
	in := d.in
	for d.pos < len(in) {
		c := in[d.pos]
		d.pos++
		if c == bof {
			if d.inFrame && !d.drop && len(d.frame) > 0 {
				// A C0 inside a frame aborts it; the C0 starts the next.
				d.stats.Count(codec.ErrFraming)
				d.stats.Resyncs++
			}
			d.inFrame, d.esc, d.drop, d.garbage = true, false, false, false
			d.frame = d.frame[:0]
			continue
		}
		if !d.inFrame {
			if !d.garbage {
				d.garbage = true
				d.stats.Count(codec.ErrFraming)
				d.stats.Resyncs++
			}
			continue
		}
		switch c {
		case eof:
			d.inFrame = false
			if d.drop {
				continue
			}
			if d.esc {
				// 7D C1: the sender aborted the frame.
				d.stats.Count(codec.ErrFraming)
				d.stats.Resyncs++
				continue
			}
			rec, kind := d.finish()
			if kind == errNone {
				d.rec = rec
				d.stats.Frames++
				d.stats.Records++
				return true
			}
			d.stats.Count(kind)
			d.stats.Resyncs++
			continue
		case escape:
			d.esc = true
			continue
		}
		if d.drop {
			continue
		}
		if d.esc {
			c ^= escXOR
			d.esc = false
		}
		d.frame = append(d.frame, c)
		// Fast path: the run of ordinary bytes up to the next C1, C0 or 7D,
		// found with the vectorised IndexByte.
		rest := in[d.pos:]
		end := bytes.IndexByte(rest, eof)
		if end < 0 {
			end = len(rest)
		}
		if e := bytes.IndexByte(rest[:end], escape); e >= 0 {
			end = e
		}
		if e := bytes.IndexByte(rest[:end], bof); e >= 0 {
			end = e
		}
		d.frame = append(d.frame, rest[:end]...)
		d.pos += end
		if len(d.frame) > headerLen+MaxUserData+2 {
			d.drop = true
			d.stats.Count(codec.ErrLength)
			d.stats.Resyncs++
		}
	}
	return false
}

// finish checks header, length and FCS of the frame and parses it.
func (d *Decoder) finish() (Record, codec.ErrorKind) {
	f := d.frame
	if len(f) < headerLen+2 {
		return nil, codec.ErrLength
	}
	if CRCUpdate(CRCInit, f) != CRCResidue {
		return nil, codec.ErrChecksum
	}
	if f[0] != protoID || f[1] != msgType {
		d.unknown = fmt.Sprintf("protocol id 0x%02X, message type 0x%02X", f[0], f[1])
		return nil, codec.ErrUnknown
	}
	n := int(binary.BigEndian.Uint16(f[2:]))
	if n != len(f)-headerLen-2 {
		return nil, codec.ErrLength
	}
	rec, kind := d.parseUserData(f[headerLen : headerLen+n])
	if kind == codec.ErrUnknown {
		d.unknown = describeUserData(f[headerLen : headerLen+n])
	}
	return rec, kind
}

// Unknown describes the last frame counted as unknown_record by its type
// codes (codec.UnknownReporter), for dissection.
func (d *Decoder) Unknown() string { return d.unknown }

// describeUserData names the type codes of a frame's user data: the SPDU
// type, and for data export the remote-operation type, the command type
// and, for event reports and actions, the event or action type.
func describeUserData(b []byte) string {
	if len(b) == 0 {
		return "empty user data"
	}
	if b[0] != SPDUData {
		return fmt.Sprintf("SPDU type 0x%02X", b[0])
	}
	if len(b) < 8 {
		return "data export SPDU, too short for a remote operation"
	}
	ro := binary.BigEndian.Uint16(b[4:])
	s := fmt.Sprintf("data export, remote operation type %d", ro)
	rest := b[8:]
	if ro == ROLRS && len(rest) >= 2 {
		rest = rest[2:]
	}
	if ro == ROIV || ro == RORS || ro == ROLRS {
		if len(rest) >= 6 {
			cmd := binary.BigEndian.Uint16(rest[2:])
			s += fmt.Sprintf(", invoke id %d, command type %d", binary.BigEndian.Uint16(rest), cmd)
			arg := rest[6:]
			switch cmd {
			case CmdEventReport, CmdConfirmedEventReport:
				// object (6 bytes), event time (4), event type (2)
				if len(arg) >= 12 {
					s += fmt.Sprintf(", event type 0x%04X", binary.BigEndian.Uint16(arg[10:]))
				}
			case CmdConfirmedAction:
				// object (6), scope (4), action type (2)
				if len(arg) >= 12 {
					s += fmt.Sprintf(", action type 0x%04X", binary.BigEndian.Uint16(arg[10:]))
				}
			}
		}
	}
	return s
}

// Record returns the record of the last successful Scan; it and the slices
// inside it are valid until the next Scan.
func (d *Decoder) Record() Record { return d.rec }

// Stats returns the counters so far.
func (d *Decoder) Stats() codec.Stats { return d.stats }

// reader reads big-endian fields and remembers running short.
type reader struct {
	b     []byte
	short bool
}

func (r *reader) take(n int) []byte {
	if n < 0 || len(r.b) < n {
		r.short = true
		r.b = nil
		return nil
	}
	p := r.b[:n:n]
	r.b = r.b[n:]
	return p
}

func (r *reader) u8() uint8 {
	if p := r.take(1); p != nil {
		return p[0]
	}
	return 0
}

func (r *reader) u16() uint16 {
	if p := r.take(2); p != nil {
		return binary.BigEndian.Uint16(p)
	}
	return 0
}

func (r *reader) u32() uint32 {
	if p := r.take(4); p != nil {
		return binary.BigEndian.Uint32(p)
	}
	return 0
}

func (r *reader) object() ObjectID { return ObjectID{r.u16(), r.u16(), r.u16()} }

// sub reads a u16 length and returns a reader over exactly that many bytes.
func (r *reader) sub() reader {
	n := int(r.u16())
	p := r.take(n)
	return reader{b: p, short: r.short}
}

// attrs reads an AttributeList into the decoder's attribute store.
func (d *Decoder) readAttrs(r *reader) []Attribute {
	count := int(r.u16())
	lr := r.sub()
	start := len(d.attrs)
	for i := 0; i < count && !lr.short; i++ {
		id := lr.u16()
		v := lr.take(int(lr.u16()))
		d.attrs = append(d.attrs, Attribute{ID: id, Value: v})
	}
	if lr.short || len(lr.b) != 0 {
		r.short = true
	}
	if len(d.attrs) == start {
		return nil
	}
	return d.attrs[start:len(d.attrs):len(d.attrs)]
}

func (d *Decoder) parseUserData(b []byte) (Record, codec.ErrorKind) {
	if len(b) == 0 {
		return nil, codec.ErrLength
	}
	switch b[0] {
	case SPDUConnect, SPDUAccept, SPDURefuse, SPDUAbort, SPDUFinish, SPDUDisconnect:
		return d.parseSession(b)
	case SPDUData:
		return d.parseData(b)
	}
	return nil, codec.ErrUnknown
}

func (d *Decoder) parseSession(b []byte) (Record, codec.ErrorKind) {
	body := b[1:]
	if len(body) == 0 {
		return nil, codec.ErrLength
	}
	n := int(body[0])
	body = body[1:]
	if n == 0xFF {
		if len(body) < 2 {
			return nil, codec.ErrLength
		}
		n = int(binary.BigEndian.Uint16(body))
		body = body[2:]
	}
	if n != len(body) {
		return nil, codec.ErrLength
	}
	switch b[0] {
	case SPDUConnect:
		u, _ := findUserInfo(body)
		d.aarq = AssociationRequest{UserInfo: u}
		return &d.aarq, errNone
	case SPDUAccept:
		// A new association: object handles may now mean other arrays.
		// The entries are zeroed in place, so steady decoding of a stream
		// with re-associations does not allocate.
		for _, info := range d.waves {
			*info = SampleArrayInfo{}
		}
		d.ecgLeadsOff = false
		u, ok := findUserInfo(body)
		d.aare = AssociationAccept{UserInfo: u, Found: ok}
		return &d.aare, errNone
	case SPDURefuse:
		return &AssociationRefuse{}, errNone
	case SPDUAbort:
		return &Abort{}, errNone
	case SPDUFinish:
		return &ReleaseRequest{}, errNone
	}
	return &ReleaseResponse{}, errNone
}

// findUserInfo finds MDSEUserInfoStd in presentation data: the user-data
// tag 0x81, a BER length, and the protocol version 0x80000000.
func findUserInfo(p []byte) (UserInfo, bool) {
	for i := 0; i+6 < len(p); i++ {
		if p[i] != 0x81 {
			continue
		}
		n, hl := int(p[i+1]), 1
		switch p[i+1] {
		case 0x81:
			n, hl = int(p[i+2]), 2
		case 0x82:
			if i+3 >= len(p) {
				continue
			}
			n, hl = int(binary.BigEndian.Uint16(p[i+2:])), 3
		}
		start := i + 1 + hl
		if n < 24 || start+n > len(p) || binary.BigEndian.Uint32(p[start:]) != ProtocolVersion1 {
			continue
		}
		if u, ok := parseUserInfo(p[start : start+n]); ok {
			return u, true
		}
	}
	return UserInfo{}, false
}

func parseUserInfo(p []byte) (UserInfo, bool) {
	r := reader{b: p}
	u := UserInfo{ProtocolVersion: r.u32(), NomenclatureVersion: r.u32(), FunctionalUnits: r.u32(), SystemType: r.u32(), StartupMode: r.u32()}
	r.u16() // option_list count
	r.sub()
	count := int(r.u16())
	pr := r.sub()
	for i := 0; i < count && !pr.short; i++ {
		id := pr.u16()
		v := pr.sub()
		if id != PollProfileID {
			continue
		}
		u.PollProfile = PollProfile{Revision: v.u32(), MinPollPeriod: Ticks(v.u32()), MaxMTURx: v.u32(), MaxMTUTx: v.u32(), MaxBWTx: v.u32(), Options: v.u32()}
		oc := int(v.u16())
		ov := v.sub()
		for j := 0; j < oc && !ov.short; j++ {
			oid := ov.u16()
			o := ov.sub()
			if oid == PollProfileExt {
				u.ExtendedOptions = o.u32()
			}
		}
	}
	return u, !r.short && !pr.short
}

func (d *Decoder) parseData(b []byte) (Record, codec.ErrorKind) {
	d.attrs, d.objs, d.ctxs = d.attrs[:0], d.objs[:0], d.ctxs[:0]
	if len(b) < 4 {
		return nil, codec.ErrLength
	}
	r := reader{b: b[4:]}
	roType := r.u16()
	ro := r.sub()
	if r.short || len(r.b) != 0 {
		return nil, codec.ErrLength
	}
	var rec Record
	kind := errNone
	switch roType {
	case ROIV:
		rec, kind = d.parseInvoke(&ro)
	case RORS:
		rec, kind = d.parseResult(&ro, LinkedNone, 0)
	case ROLRS:
		state, count := ro.u8(), ro.u8()
		if state < LinkedFirst || state > LinkedLast {
			return nil, codec.ErrValue
		}
		rec, kind = d.parseResult(&ro, state, count)
	case ROER:
		d.roer = RemoteError{InvokeID: ro.u16(), ErrorValue: ro.u16()}
		p := ro.sub()
		d.roer.Parameter = p.b
		rec = &d.roer
	default:
		return nil, codec.ErrUnknown
	}
	if kind != errNone {
		return nil, kind
	}
	if ro.short || len(ro.b) != 0 {
		return nil, codec.ErrLength
	}
	if p, ok := rec.(*PollResult); ok {
		d.learnWaves(p)
		d.learnLeadsOff(p)
	}
	return rec, errNone
}

func (d *Decoder) parseInvoke(ro *reader) (Record, codec.ErrorKind) {
	invoke, cmd := ro.u16(), ro.u16()
	arg := ro.sub()
	if ro.short || len(ro.b) != 0 {
		return nil, codec.ErrLength
	}
	*ro = arg
	switch cmd {
	case CmdEventReport, CmdConfirmedEventReport:
		obj := ro.object()
		t := Ticks(ro.u32())
		ev := ro.u16()
		info := ro.sub()
		if ev != EventMDSCreate {
			return nil, codec.ErrUnknown
		}
		d.mdsEv = MDSCreateEvent{InvokeID: invoke, Confirmed: cmd == CmdConfirmedEventReport, Object: obj, EventTime: t, MDS: info.object()}
		d.mdsEv.Attributes = d.readAttrs(&info)
		if info.short || len(info.b) != 0 {
			return nil, codec.ErrLength
		}
		return &d.mdsEv, errNone
	case CmdConfirmedAction:
		ro.object()
		ro.u32() // scope
		action := ro.u16()
		a := ro.sub()
		if action != ActionPoll && action != ActionPollExt {
			return nil, codec.ErrUnknown
		}
		p := PollRequest{InvokeID: invoke, Extended: action == ActionPollExt, PollNumber: a.u16(), Partition: a.u16(), ObjectType: a.u16(), AttrGroup: a.u16()}
		if p.Extended {
			for _, at := range d.readAttrs(&a) {
				if at.ID == AttrPollPeriod && len(at.Value) == 4 {
					p.Period = Ticks(binary.BigEndian.Uint32(at.Value))
				}
			}
		}
		if a.short || len(a.b) != 0 {
			return nil, codec.ErrLength
		}
		d.pollReq = p
		return &d.pollReq, errNone
	}
	return nil, codec.ErrUnknown
}

func (d *Decoder) parseResult(ro *reader, linked, count uint8) (Record, codec.ErrorKind) {
	invoke, cmd := ro.u16(), ro.u16()
	res := ro.sub()
	if ro.short || len(ro.b) != 0 {
		return nil, codec.ErrLength
	}
	*ro = res
	switch cmd {
	case CmdEventReport, CmdConfirmedEventReport:
		obj := ro.object()
		t := Ticks(ro.u32())
		ev := ro.u16()
		ro.sub()
		if ev != EventMDSCreate || linked != LinkedNone {
			return nil, codec.ErrUnknown
		}
		d.mdsRes = MDSCreateResult{InvokeID: invoke, Object: obj, CurrentTime: t}
		return &d.mdsRes, errNone
	case CmdConfirmedAction:
		obj := ro.object()
		action := ro.u16()
		a := ro.sub()
		if action != ActionPoll && action != ActionPollExt {
			return nil, codec.ErrUnknown
		}
		p := &d.poll
		*p = PollResult{InvokeID: invoke, Linked: linked, LinkedCount: count, Object: obj, Extended: action == ActionPollExt}
		p.PollNumber = a.u16()
		if p.Extended {
			p.Sequence = a.u16()
		}
		p.RelTime = Ticks(a.u32())
		copy(p.AbsTime[:], a.take(8))
		p.Partition, p.ObjectType, p.AttrGroup = a.u16(), a.u16(), a.u16()
		nctx := int(a.u16())
		cl := a.sub()
		for i := 0; i < nctx && !cl.short; i++ {
			ctx := cl.u16()
			nobj := int(cl.u16())
			ol := cl.sub()
			start := len(d.objs)
			for j := 0; j < nobj && !ol.short; j++ {
				h := ol.u16()
				d.objs = append(d.objs, PollObject{Handle: h, Attributes: d.readAttrs(&ol)})
			}
			if ol.short || len(ol.b) != 0 {
				return nil, codec.ErrLength
			}
			pc := PollContext{Context: ctx}
			if len(d.objs) > start {
				pc.Objects = d.objs[start:len(d.objs):len(d.objs)]
			}
			d.ctxs = append(d.ctxs, pc)
		}
		if cl.short || len(cl.b) != 0 || a.short || len(a.b) != 0 {
			return nil, codec.ErrLength
		}
		if len(d.ctxs) > 0 {
			p.Contexts = d.ctxs[:len(d.ctxs):len(d.ctxs)]
		}
		return p, errNone
	}
	return nil, codec.ErrUnknown
}

// location is the zone the monitor's absolute times are read in.
func (d *Decoder) location() *time.Location {
	if d.loc == nil {
		return time.UTC
	}
	return d.loc
}
