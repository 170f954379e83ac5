package intellivue

import (
	"encoding/hex"
	"fmt"
)

// Described is a record as `triagectl dissect` shows it: for a poll
// result, every object's attributes by name with their values decoded
// where this package reads them, and the others listed as not understood
// (id and hex); other records as they are.
type Described struct {
	Record Record         `json:"record,omitempty"`
	Poll   *DescribedPoll `json:"poll,omitempty"`
}

// DescribedPoll is a poll result without its raw attribute lists.
type DescribedPoll struct {
	InvokeID   uint16            `json:"invoke_id"`
	PollNumber uint16            `json:"poll_number"`
	ObjectType uint16            `json:"object_type"`
	AbsTime    string            `json:"abs_time"`
	RelTime    Ticks             `json:"rel_time"`
	Objects    []DescribedObject `json:"objects"`
}

// DescribedObject is one polled object.
type DescribedObject struct {
	Context      uint16           `json:"context"`
	Handle       uint16           `json:"handle"`
	Numerics     []Numeric        `json:"numerics,omitempty"`
	SampleArrays []DescribedArray `json:"sample_arrays,omitempty"`
	// PatientAlarms and TechnicalAlarms are the alert monitor's lists.
	PatientAlarms   []AlarmEntry `json:"patient_alarms,omitempty"`
	TechnicalAlarms []AlarmEntry `json:"technical_alarms,omitempty"`
	Attributes      []string     `json:"attributes"`
	NotUnderstood   []string     `json:"not_understood,omitempty"`
}

// DescribedArray is a sample array without its samples.
type DescribedArray struct {
	PhysioID uint16 `json:"physio_id"`
	State    uint16 `json:"state"`
	Bytes    int    `json:"bytes"`
}

// attrNames are the attributes this package reads.
var attrNames = map[uint16]string{
	AttrNuObs: "NOM_ATTR_NU_VAL_OBS", AttrNuObsCmp: "NOM_ATTR_NU_CMPD_VAL_OBS",
	AttrSaObs: "NOM_ATTR_SA_VAL_OBS", AttrSaObsCmp: "NOM_ATTR_SA_CMPD_VAL_OBS",
	AttrSaSpec: "NOM_ATTR_SA_SPECN", AttrScale: "NOM_ATTR_SCALE_SPECN_I16",
	AttrSamplePd: "NOM_ATTR_TIME_PD_SAMP", AttrUnit: "NOM_ATTR_UNIT_CODE",
	AttrSaFixedVal: "NOM_ATTR_SA_FIXED_VAL_SPECN", AttrIDType: "NOM_ATTR_ID_TYPE",
	AttrAbsTime: "NOM_ATTR_TIME_STAMP_ABS", AttrRelTime: "NOM_ATTR_TIME_STAMP_REL",
	AttrAlMonPList: "NOM_ATTR_AL_MON_P_AL_LIST", AttrAlMonTList: "NOM_ATTR_AL_MON_T_AL_LIST",
}

// Describe returns rec for dissection (the protocol's Describe in the
// device layer's registry).
func Describe(rec any) any {
	p, ok := rec.(*PollResult)
	if !ok {
		if r, ok := rec.(Record); ok {
			return Described{Record: r}
		}
		return rec
	}
	dp := &DescribedPoll{InvokeID: p.InvokeID, PollNumber: p.PollNumber, ObjectType: p.ObjectType,
		AbsTime: hex.EncodeToString(p.AbsTime[:]), RelTime: p.RelTime}
	for _, c := range p.Contexts {
		for _, o := range c.Objects {
			do := DescribedObject{Context: c.Context, Handle: o.Handle, Numerics: o.Numerics(), Attributes: []string{}}
			for _, sa := range o.SampleArrays() {
				do.SampleArrays = append(do.SampleArrays, DescribedArray{PhysioID: sa.PhysioID, State: sa.State, Bytes: len(sa.Data)})
			}
			pa, ta, _, alErr := o.Alarms()
			do.PatientAlarms, do.TechnicalAlarms = pa, ta
			for _, a := range o.Attributes {
				if name, ok := attrNames[a.ID]; ok && (alErr == nil || (a.ID != AttrAlMonPList && a.ID != AttrAlMonTList)) {
					do.Attributes = append(do.Attributes, fmt.Sprintf("0x%04X %s (%d bytes)", a.ID, name, len(a.Value)))
					continue
				}
				do.NotUnderstood = append(do.NotUnderstood, fmt.Sprintf("attribute 0x%04X: %s", a.ID, hex.EncodeToString(a.Value)))
			}
			dp.Objects = append(dp.Objects, do)
		}
	}
	return Described{Poll: dp}
}
