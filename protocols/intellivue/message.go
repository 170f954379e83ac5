package intellivue

import (
	"encoding/binary"
	"fmt"
	"time"
)

// Session-layer SPDU identifiers (the first byte of the user data).
const (
	SPDUConnect    = 0x0D // association request (CN)
	SPDUAccept     = 0x0E // association accepted (AC)
	SPDURefuse     = 0x0C // association refused (RF)
	SPDUFinish     = 0x09 // release request (FN)
	SPDUDisconnect = 0x0A // release response (DN)
	SPDUAbort      = 0x19 // abort (AB)
	SPDUData       = 0xE1 // Data Export message (session id 0xE100)
)

// Remote-operation APDU types.
const (
	ROIV  = 1 // invoke
	RORS  = 2 // result
	ROER  = 3 // error
	ROLRS = 5 // linked result
)

// Command types of invokes and results.
const (
	CmdEventReport          = 0
	CmdConfirmedEventReport = 1
	CmdGet                  = 3
	CmdSet                  = 4
	CmdConfirmedSet         = 5
	CmdConfirmedAction      = 7
)

// Object classes, events, actions and attributes used here (nomenclature
// partition 1, NOM_PART_OBJ, unless noted).
const (
	PartitionObj   = 1
	ClassMDS       = 0x21   // NOM_MOC_VMS_MDS
	ClassNumeric   = 6      // NOM_MOC_VMO_METRIC_NU
	ClassRTSA      = 9      // NOM_MOC_VMO_METRIC_SA_RT
	ClassAlert     = 54     // NOM_MOC_VMO_AL_MON
	EventMDSCreate = 0x0D06 // NOM_NOTI_MDS_CREAT
	ActionPoll     = 0x0C16 // NOM_ACT_POLL_MDIB_DATA (single poll)
	ActionPollExt  = 0xF13B // NOM_ACT_POLL_MDIB_DATA_EXT (extended poll)
	AttrPollPeriod = 0xF13E // NOM_ATTR_TIME_PD_POLL
	AttrNuObs      = 0x0950 // NOM_ATTR_NU_VAL_OBS
	AttrNuObsCmp   = 0x094B // NOM_ATTR_NU_CMPD_VAL_OBS
	AttrSaObs      = 0x096E // NOM_ATTR_SA_VAL_OBS
	AttrSaObsCmp   = 0x0967 // NOM_ATTR_SA_CMPD_VAL_OBS
	AttrSaSpec     = 0x096D // NOM_ATTR_SA_SPECN
	AttrScale      = 0x096F // NOM_ATTR_SCALE_SPECN_I16
	AttrSamplePd   = 0x098D // NOM_ATTR_TIME_PD_SAMP
	AttrUnit       = 0x0996 // NOM_ATTR_UNIT_CODE
	AttrSaFixedVal = 0x0A16 // NOM_ATTR_SA_FIXED_VAL_SPECN
	AttrIDType     = 0x092F // NOM_ATTR_ID_TYPE
	AttrLabel      = 0x0924 // NOM_ATTR_ID_LABEL
	AttrAbsTime    = 0x0990 // NOM_ATTR_TIME_STAMP_ABS
	AttrRelTime    = 0x0991 // NOM_ATTR_TIME_STAMP_REL
	PollProfileID  = 0x0001 // NOM_POLL_PROFILE_SUPPORT
	PollProfileExt = 0xF001 // NOM_ATTR_POLL_PROFILE_EXT
)

// Ticks is a RelativeTime: 1/8000 s (125 µs) per tick.
type Ticks uint32

// TicksPerSecond is the RelativeTime resolution.
const TicksPerSecond = 8000

// Duration converts ticks into a time.Duration.
func (t Ticks) Duration() time.Duration { return time.Duration(t) * 125 * time.Microsecond }

// TicksOf converts a duration into ticks (rounded down).
func TicksOf(d time.Duration) Ticks { return Ticks(d / (125 * time.Microsecond)) }

// Record is one decoded message. Records returned by the Decoder, and the
// slices inside them, are valid until its next Scan.
type Record interface {
	appendUserData(dst []byte) ([]byte, error)
}

// UserInfo is MDSEUserInfoStd, carried by association request and accept.
type UserInfo struct {
	ProtocolVersion     uint32 // 0x80000000 MDDL_VERSION1
	NomenclatureVersion uint32 // 0x40000000 NOMEN_VERSION
	FunctionalUnits     uint32
	SystemType          uint32 // 0x80000000 client, 0x00800000 server
	StartupMode         uint32 // 0x20000000 cold start
	PollProfile         PollProfile
	// ExtendedOptions is the option word of the extended poll profile
	// (0xF001), e.g. 0x88000000 for 1 s numerics and real-time sample
	// arrays; 0 leaves the extended profile out.
	ExtendedOptions uint32
}

// PollProfile is PollProfileSupport.
type PollProfile struct {
	Revision      uint32 // 0x80000000 POLL_PROFILE_REV_0
	MinPollPeriod Ticks
	MaxMTURx      uint32
	MaxMTUTx      uint32 // at most 1000 on RS232
	MaxBWTx       uint32 // 0xFFFFFFFF: no limit
	Options       uint32 // 0x60000000: P_OPT_DYN_CREATE_OBJECTS | P_OPT_DYN_DELETE_OBJECTS
}

// Values the host announces (Data Export Programming Guide; the notes).
const (
	ProtocolVersion1  = 0x80000000
	NomenclatureV1    = 0x40000000
	SystemTypeClient  = 0x80000000
	SystemTypeServer  = 0x00800000
	StartupCold       = 0x20000000
	PollProfileRev0   = 0x80000000
	PollOptionsDyn    = 0x60000000
	ExtOptNumerics1s  = 0x80000000 // POLL_EXT_PERIOD_NU_1SEC
	ExtOptRTSA        = 0x08000000 // POLL_EXT_PERIOD_RTSA
	DefaultExtOptions = ExtOptNumerics1s | ExtOptRTSA
)

// AssociationRequest is the host's request to associate (CN SPDU).
type AssociationRequest struct{ UserInfo UserInfo }

// AssociationAccept is the monitor's acceptance (AC SPDU). UserInfo holds
// the monitor's poll profile when it could be found in the presentation
// data; Found says whether it was.
type AssociationAccept struct {
	UserInfo UserInfo
	Found    bool
}

// AssociationRefuse is the monitor's refusal (RF SPDU).
type AssociationRefuse struct{}

// Abort ends an association at once (AB SPDU), from either side.
type Abort struct{}

// ReleaseRequest asks to end the association (FN SPDU).
type ReleaseRequest struct{}

// ReleaseResponse confirms the end of the association (DN SPDU).
type ReleaseResponse struct{}

// ObjectID is a ManagedObjectId: class, context and handle.
type ObjectID struct {
	Class   uint16
	Context uint16
	Handle  uint16
}

// MDSObject is the MDS object the host addresses: {0x21, 0, 0}.
var MDSObject = ObjectID{Class: ClassMDS}

// Attribute is one AVA: attribute id and raw value.
type Attribute struct {
	ID    uint16
	Value []byte
}

// MDSCreateEvent is the monitor's MDS Create Event Report, sent after it
// accepts an association. The host must answer with an MDSCreateResult
// echoing InvokeID.
type MDSCreateEvent struct {
	InvokeID   uint16
	Confirmed  bool     // confirmed event report (it always is from a monitor)
	Object     ObjectID // the reporting object
	EventTime  Ticks
	MDS        ObjectID // the created MDS
	Attributes []Attribute
}

// MDSCreateResult is the host's answer to the MDS Create Event.
type MDSCreateResult struct {
	InvokeID    uint16
	Object      ObjectID
	CurrentTime Ticks
}

// PollRequest is a single (NOM_ACT_POLL_MDIB_DATA) or extended
// (NOM_ACT_POLL_MDIB_DATA_EXT) poll.
type PollRequest struct {
	InvokeID   uint16
	Extended   bool
	PollNumber uint16
	Partition  uint16 // of the polled object type; PartitionObj
	ObjectType uint16 // ClassNumeric, ClassRTSA, ClassAlert, ClassMDS
	AttrGroup  uint16 // 0: all attributes
	// Period is the extended poll's duration (NOM_ATTR_TIME_PD_POLL); 0
	// leaves the attribute out.
	Period Ticks
}

// Linked-result states.
const (
	LinkedNone   = 0 // a final result (RORS)
	LinkedFirst  = 1
	LinkedMiddle = 2
	LinkedLast   = 3 // the last linked part; a final RORS follows
)

// PollResult is one result of a poll: a final result or a linked part.
type PollResult struct {
	InvokeID    uint16
	Linked      uint8 // LinkedNone for a RORS, else the linked state
	LinkedCount uint8
	Object      ObjectID // the MDS that answers
	Extended    bool
	PollNumber  uint16
	Sequence    uint16 // extended polls only
	RelTime     Ticks
	AbsTime     AbsoluteTime
	Partition   uint16
	ObjectType  uint16
	AttrGroup   uint16
	Contexts    []PollContext
}

// PollContext is a SingleContextPoll: the objects of one context.
type PollContext struct {
	Context uint16
	Objects []PollObject
}

// PollObject is an ObservationPoll: one object and its attributes.
type PollObject struct {
	Handle     uint16
	Attributes []Attribute
}

// RemoteError is an ROER: the monitor refused an operation.
type RemoteError struct {
	InvokeID   uint16
	ErrorValue uint16 // one of the Err* values
	Parameter  []byte
}

// Error values of a RemoteError (ROERapdu error_value, from the guide's
// list as public drivers carry it).
const (
	ErrNoSuchObjectClass     = 0
	ErrNoSuchObjectInstance  = 1
	ErrAccessDenied          = 2
	ErrGetListError          = 7
	ErrSetListError          = 8
	ErrNoSuchAction          = 9
	ErrProcessingFailure     = 10
	ErrInvalidArgumentValue  = 15
	ErrInvalidScope          = 16
	ErrInvalidObjectInstance = 17
)

// MeansNoAssociation reports whether a remote error says the monitor does
// not know the host's association (any more): access denied, or the MDS
// object instance the host addresses does not exist. A monitor that
// rebooted answers the old association's requests this way; the host must
// associate again rather than go on polling.
func (r *RemoteError) MeansNoAssociation() bool {
	switch r.ErrorValue {
	case ErrAccessDenied, ErrNoSuchObjectInstance, ErrInvalidObjectInstance:
		return true
	}
	return false
}

// AbsoluteTime is the 8-byte BCD time stamp: century, year, month, day,
// hour, minute, second, 1/100 s. All FF means no time.
type AbsoluteTime [8]byte

// NoTime is the invalid time stamp.
var NoTime = AbsoluteTime{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}

func bcd(b byte) (int, bool) {
	hi, lo := int(b>>4), int(b&0x0F)
	if hi > 9 || lo > 9 {
		return 0, false
	}
	return hi*10 + lo, true
}

func toBCD(v int) byte { return byte(v/10%10<<4 | v%10) }

// Time returns the time stamp as a time in loc (the monitor's wall clock
// carries no zone), or false when it is invalid.
func (a AbsoluteTime) Time(loc *time.Location) (time.Time, bool) {
	var v [8]int
	for i, b := range a {
		n, ok := bcd(b)
		if !ok {
			return time.Time{}, false
		}
		v[i] = n
	}
	if v[2] < 1 || v[2] > 12 || v[3] < 1 || v[3] > 31 || v[4] > 23 || v[5] > 59 || v[6] > 59 {
		return time.Time{}, false
	}
	t := time.Date(v[0]*100+v[1], time.Month(v[2]), v[3], v[4], v[5], v[6], v[7]*10_000_000, loc)
	if t.Day() != v[3] {
		return time.Time{}, false // no such day (31 February): time.Date would roll it over
	}
	return t, true
}

// MakeAbsoluteTime encodes t (in its own location) to 1/100 s.
func MakeAbsoluteTime(t time.Time) AbsoluteTime {
	return AbsoluteTime{toBCD(t.Year() / 100), toBCD(t.Year() % 100), toBCD(int(t.Month())), toBCD(t.Day()),
		toBCD(t.Hour()), toBCD(t.Minute()), toBCD(t.Second()), toBCD(t.Nanosecond() / 10_000_000)}
}

// --- encoding ---------------------------------------------------------------

func be16(dst []byte, v uint16) []byte { return binary.BigEndian.AppendUint16(dst, v) }
func be32(dst []byte, v uint32) []byte { return binary.BigEndian.AppendUint32(dst, v) }

// appendLI appends a session length indicator: one byte below 255, else
// FF and a big-endian u16.
func appendLI(dst []byte, n int) []byte {
	if n < 0xFF {
		return append(dst, byte(n))
	}
	return be16(append(dst, 0xFF), uint16(n))
}

// sessionData is the fixed session-layer parameter block of the connect
// and accept SPDUs (Data Export Programming Guide, association request).
var sessionData = []byte{0x05, 0x08, 0x13, 0x01, 0x00, 0x16, 0x01, 0x02, 0x80, 0x00, 0x14, 0x02, 0x00, 0x02}

// aarqPresentation is the presentation-layer BER of the association
// request up to the user data, as the programming guide gives it; it ends
// with the user-data tag 0x81 (its length follows).
var aarqPresentation = []byte{
	0x31, 0x80, 0xA0, 0x80, 0x80, 0x01, 0x01, 0x00, 0x00, 0xA2, 0x80, 0xA0, 0x03, 0x00, 0x00, 0x01,
	0xA4, 0x80, 0x30, 0x80, 0x02, 0x01, 0x01, 0x06, 0x04, 0x52, 0x01, 0x00, 0x01, 0x30, 0x80, 0x06,
	0x02, 0x51, 0x01, 0x00, 0x00, 0x00, 0x00, 0x30, 0x80, 0x02, 0x01, 0x02, 0x06, 0x0C, 0x2A, 0x86,
	0x48, 0xCE, 0x14, 0x02, 0x01, 0x00, 0x00, 0x00, 0x01, 0x01, 0x30, 0x80, 0x06, 0x0C, 0x2A, 0x86,
	0x48, 0xCE, 0x14, 0x02, 0x01, 0x00, 0x00, 0x00, 0x02, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x61, 0x80, 0x30, 0x80, 0x02, 0x01, 0x01, 0xA0, 0x80, 0x60, 0x80, 0xA1, 0x80, 0x06, 0x0C, 0x2A,
	0x86, 0x48, 0xCE, 0x14, 0x02, 0x01, 0x00, 0x00, 0x00, 0x03, 0x01, 0x00, 0x00, 0xBE, 0x80, 0x28,
	0x80, 0x06, 0x0C, 0x2A, 0x86, 0x48, 0xCE, 0x14, 0x02, 0x01, 0x00, 0x00, 0x00, 0x01, 0x01, 0x02,
	0x01, 0x02, 0x81,
}

// aarePresentation is the presentation-layer BER of the accept as this
// package's emulator sends it: an AARE (tag 0x61) with result 0
// (accepted) around the user data. Monitors' accepts differ in detail;
// the decoder relies only on the SPDU byte and finds the user data by its
// tag and protocol version.
var aarePresentation = []byte{
	0x31, 0x80, 0xA0, 0x80, 0x80, 0x01, 0x01, 0x00, 0x00, 0xA2, 0x80, 0xA0, 0x03, 0x00, 0x00, 0x01,
	0xA5, 0x80, 0x30, 0x80, 0x80, 0x01, 0x00, 0x81, 0x02, 0x51, 0x01, 0x00, 0x00, 0x00, 0x00,
	0x61, 0x80, 0x30, 0x80, 0x02, 0x01, 0x01, 0xA0, 0x80, 0x61, 0x80, 0xA1, 0x80, 0x06, 0x0C, 0x2A,
	0x86, 0x48, 0xCE, 0x14, 0x02, 0x01, 0x00, 0x00, 0x00, 0x03, 0x01, 0x00, 0x00, 0xA2, 0x03, 0x02,
	0x01, 0x00, 0xBE, 0x80, 0x28, 0x80, 0x02, 0x01, 0x02, 0x81,
}

// presentationTrailer closes the eight indefinite-length BER containers
// that are open at the end of the user data.
var presentationTrailer = make([]byte, 16)

// Session-layer bodies of release, release response and abort
// (programming guide templates) and of refuse (a reason parameter only:
// the guide gives no template, and the decoder relies on the SPDU byte).
var (
	rlrqBody    = []byte{0xC1, 0x16, 0x61, 0x80, 0x30, 0x80, 0x02, 0x01, 0x01, 0xA0, 0x80, 0x62, 0x80, 0x80, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0}
	rlrsBody    = []byte{0xC1, 0x16, 0x61, 0x80, 0x30, 0x80, 0x02, 0x01, 0x01, 0xA0, 0x80, 0x63, 0x80, 0x80, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0}
	abortBody   = []byte{0x11, 0x01, 0x03, 0xC1, 0x29, 0xA0, 0x80, 0xA0, 0x80, 0x30, 0x80, 0x02, 0x01, 0x01, 0x06, 0x02, 0x51, 0x01, 0x00, 0x00, 0x00, 0x00, 0x61, 0x80, 0x30, 0x80, 0x02, 0x01, 0x01, 0xA0, 0x80, 0x64, 0x80, 0x80, 0x01, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	refuseBody  = []byte{0x32, 0x01, 0x00}           // reason parameter: 0
	dataSession = []byte{SPDUData, 0x00, 0x00, 0x02} // session id 0xE100, presentation context 2
)

func appendUserInfo(dst []byte, u UserInfo) []byte {
	optLen := 0
	if u.ExtendedOptions != 0 {
		optLen = 12
	}
	dst = be32(dst, u.ProtocolVersion)
	dst = be32(dst, u.NomenclatureVersion)
	dst = be32(dst, u.FunctionalUnits)
	dst = be32(dst, u.SystemType)
	dst = be32(dst, u.StartupMode)
	dst = be32(dst, 0) // option_list: empty AttributeList
	dst = be16(dst, 1) // supported_aprofiles: one AVA
	dst = be16(dst, uint16(4+28+optLen))
	dst = be16(dst, PollProfileID)
	dst = be16(dst, uint16(28+optLen))
	p := u.PollProfile
	for _, v := range []uint32{p.Revision, uint32(p.MinPollPeriod), p.MaxMTURx, p.MaxMTUTx, p.MaxBWTx, p.Options} {
		dst = be32(dst, v)
	}
	if optLen == 0 {
		return be32(dst, 0)
	}
	dst = be16(dst, 1)
	dst = be16(dst, 12)
	dst = be16(dst, PollProfileExt)
	dst = be16(dst, 8)
	dst = be32(dst, u.ExtendedOptions)
	return be32(dst, 0) // ext_attr: empty
}

// appendBERLen appends a BER definite length.
func appendBERLen(dst []byte, n int) []byte {
	switch {
	case n < 0x80:
		return append(dst, byte(n))
	case n < 0x100:
		return append(dst, 0x81, byte(n))
	}
	return append(dst, 0x82, byte(n>>8), byte(n))
}

func appendAssociation(dst []byte, spdu byte, pres []byte, u UserInfo) []byte {
	ui := appendUserInfo(nil, u)
	var p []byte
	p = append(p, pres...)
	p = appendBERLen(p, len(ui))
	p = append(p, ui...)
	p = append(p, presentationTrailer...)
	body := append([]byte(nil), sessionData...)
	body = append(body, 0xC1)
	body = appendLI(body, len(p))
	body = append(body, p...)
	dst = append(dst, spdu)
	dst = appendLI(dst, len(body))
	return append(dst, body...)
}

func (r *AssociationRequest) appendUserData(dst []byte) ([]byte, error) {
	return appendAssociation(dst, SPDUConnect, aarqPresentation, r.UserInfo), nil
}

func (r *AssociationAccept) appendUserData(dst []byte) ([]byte, error) {
	return appendAssociation(dst, SPDUAccept, aarePresentation, r.UserInfo), nil
}

func appendSession(dst []byte, spdu byte, body []byte) []byte {
	dst = append(dst, spdu)
	dst = appendLI(dst, len(body))
	return append(dst, body...)
}

func (*AssociationRefuse) appendUserData(dst []byte) ([]byte, error) {
	return appendSession(dst, SPDURefuse, refuseBody), nil
}
func (*Abort) appendUserData(dst []byte) ([]byte, error) {
	return appendSession(dst, SPDUAbort, abortBody), nil
}
func (*ReleaseRequest) appendUserData(dst []byte) ([]byte, error) {
	return appendSession(dst, SPDUFinish, rlrqBody), nil
}
func (*ReleaseResponse) appendUserData(dst []byte) ([]byte, error) {
	return appendSession(dst, SPDUDisconnect, rlrsBody), nil
}

func appendObject(dst []byte, o ObjectID) []byte {
	return be16(be16(be16(dst, o.Class), o.Context), o.Handle)
}

func appendAttrs(dst []byte, attrs []Attribute) ([]byte, error) {
	n := 0
	for _, a := range attrs {
		if len(a.Value) > 0xFFFF {
			return dst, fmt.Errorf("intellivue: attribute %04X of %d bytes: want at most 65535", a.ID, len(a.Value))
		}
		n += 4 + len(a.Value)
	}
	if n > 0xFFFF || len(attrs) > 0xFFFF {
		return dst, fmt.Errorf("intellivue: attribute list of %d bytes: want at most 65535", n)
	}
	dst = be16(be16(dst, uint16(len(attrs))), uint16(n))
	for _, a := range attrs {
		dst = be16(be16(dst, a.ID), uint16(len(a.Value)))
		dst = append(dst, a.Value...)
	}
	return dst, nil
}

// wrapRO writes the data-export session header, the ROapdus header and the
// operation header around body. op is the invoke/result header without
// its trailing length.
func wrapRO(dst []byte, roType uint16, op []byte, body []byte) ([]byte, error) {
	if len(body) > MaxUserData {
		return dst, fmt.Errorf("intellivue: message body of %d bytes: want at most %d", len(body), MaxUserData)
	}
	dst = append(dst, dataSession...)
	dst = be16(dst, roType)
	dst = be16(dst, uint16(len(op)+2+len(body)))
	dst = append(dst, op...)
	dst = be16(dst, uint16(len(body)))
	return append(dst, body...), nil
}

func (r *MDSCreateEvent) appendUserData(dst []byte) ([]byte, error) {
	info := appendObject(nil, r.MDS)
	info, err := appendAttrs(info, r.Attributes)
	if err != nil {
		return dst, err
	}
	body := appendObject(nil, r.Object)
	body = be32(body, uint32(r.EventTime))
	body = be16(body, EventMDSCreate)
	body = be16(body, uint16(len(info)))
	body = append(body, info...)
	cmd := uint16(CmdEventReport)
	if r.Confirmed {
		cmd = CmdConfirmedEventReport
	}
	return wrapRO(dst, ROIV, be16(be16(nil, r.InvokeID), cmd), body)
}

func (r *MDSCreateResult) appendUserData(dst []byte) ([]byte, error) {
	body := appendObject(nil, r.Object)
	body = be32(body, uint32(r.CurrentTime))
	body = be16(body, EventMDSCreate)
	body = be16(body, 0)
	return wrapRO(dst, RORS, be16(be16(nil, r.InvokeID), CmdConfirmedEventReport), body)
}

func (r *PollRequest) appendUserData(dst []byte) ([]byte, error) {
	var req []byte
	req = be16(req, r.PollNumber)
	req = be16(be16(req, r.Partition), r.ObjectType)
	req = be16(req, r.AttrGroup)
	action := uint16(ActionPoll)
	if r.Extended {
		action = ActionPollExt
		var attrs []Attribute
		if r.Period != 0 {
			attrs = []Attribute{{ID: AttrPollPeriod, Value: be32(nil, uint32(r.Period))}}
		}
		req, _ = appendAttrs(req, attrs)
	} else if r.Period != 0 {
		return dst, fmt.Errorf("intellivue: single poll with a period of %d ticks: only extended polls have one", r.Period)
	}
	body := appendObject(nil, MDSObject)
	body = be32(body, 0) // scope
	body = be16(body, action)
	body = be16(body, uint16(len(req)))
	body = append(body, req...)
	return wrapRO(dst, ROIV, be16(be16(nil, r.InvokeID), CmdConfirmedAction), body)
}

func (r *PollResult) appendUserData(dst []byte) ([]byte, error) {
	var reply []byte
	reply = be16(reply, r.PollNumber)
	if r.Extended {
		reply = be16(reply, r.Sequence)
	}
	reply = be32(reply, uint32(r.RelTime))
	reply = append(reply, r.AbsTime[:]...)
	reply = be16(be16(reply, r.Partition), r.ObjectType)
	reply = be16(reply, r.AttrGroup)
	var ctxs []byte
	for _, c := range r.Contexts {
		var objs []byte
		for _, o := range c.Objects {
			objs = be16(objs, o.Handle)
			var err error
			if objs, err = appendAttrs(objs, o.Attributes); err != nil {
				return dst, err
			}
		}
		ctxs = be16(ctxs, c.Context)
		ctxs = be16(be16(ctxs, uint16(len(c.Objects))), uint16(len(objs)))
		ctxs = append(ctxs, objs...)
	}
	reply = be16(be16(reply, uint16(len(r.Contexts))), uint16(len(ctxs)))
	reply = append(reply, ctxs...)
	action := uint16(ActionPoll)
	if r.Extended {
		action = ActionPollExt
	}
	body := appendObject(nil, r.Object)
	body = be16(body, action)
	body = be16(body, uint16(len(reply)))
	body = append(body, reply...)
	op := be16(be16(nil, r.InvokeID), CmdConfirmedAction)
	if r.Linked == LinkedNone {
		return wrapRO(dst, RORS, op, body)
	}
	if r.Linked > LinkedLast {
		return dst, fmt.Errorf("intellivue: linked state %d: want 1 (first), 2 (middle) or 3 (last)", r.Linked)
	}
	return wrapRO(dst, ROLRS, append([]byte{r.Linked, r.LinkedCount}, op...), body)
}

func (r *RemoteError) appendUserData(dst []byte) ([]byte, error) {
	return wrapRO(dst, ROER, be16(be16(nil, r.InvokeID), r.ErrorValue), r.Parameter)
}
