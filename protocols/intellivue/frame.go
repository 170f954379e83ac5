package intellivue

import (
	"encoding/binary"
	"fmt"
)

// Framing bytes and the fixed frame header.
const (
	bof       = 0xC0 // beginning of frame
	eof       = 0xC1 // end of frame
	escape    = 0x7D
	escXOR    = 0x20
	protoID   = 0x11 // Data Export protocol
	msgType   = 0x01 // AS-DU
	headerLen = 4    // protocol id, message type, length u16
	// MaxUserData bounds the user data of one frame. The association asks
	// the monitor for max_mtu_rx 2500; anything far beyond is line noise.
	MaxUserData = 8192
)

// crcTables are the slicing-by-8 tables of the reflected CRC-16
// polynomial 0x8408: crcTables[0] is the classic byte table, and
// crcTables[k][i] is the CRC of byte i followed by k zero bytes.
var crcTables = func() (t [8][256]uint16) {
	for i := range t[0] {
		c := uint16(i)
		for range 8 {
			if c&1 != 0 {
				c = c>>1 ^ 0x8408
			} else {
				c >>= 1
			}
		}
		t[0][i] = c
	}
	for k := 1; k < 8; k++ {
		for i := range t[k] {
			p := t[k-1][i]
			t[k][i] = p>>8 ^ t[0][byte(p)]
		}
	}
	return t
}()

// crcByte runs p through the register one byte at a time (the reference
// the sliced version is tested against).
func crcByte(crc uint16, p []byte) uint16 {
	for _, c := range p {
		crc = crc>>8 ^ crcTables[0][byte(crc)^c]
	}
	return crc
}

// CRCInit is the initial CRC register; CRCResidue is the register after a
// frame and its FCS (LSB first) have been run through it.
const (
	CRCInit    uint16 = 0xFFFF
	CRCResidue uint16 = 0xF0B8
)

// CRCUpdate runs p through the CRC register crc (CRC-16/X.25, the PPP FCS
// of RFC 1662).
func CRCUpdate(crc uint16, p []byte) uint16 {
	t := &crcTables
	for len(p) >= 8 {
		crc ^= uint16(p[0]) | uint16(p[1])<<8
		crc = t[7][byte(crc)] ^ t[6][crc>>8] ^ t[5][p[2]] ^ t[4][p[3]] ^ t[3][p[4]] ^ t[2][p[5]] ^ t[1][p[6]] ^ t[0][p[7]]
		p = p[8:]
	}
	return crcByte(crc, p)
}

// FCS is the frame check sequence of p: the complemented CRC-16/X.25. It
// is sent least significant byte first.
func FCS(p []byte) uint16 { return ^CRCUpdate(CRCInit, p) }

// needsEscape marks the bytes that are escaped inside a frame.
var needsEscape = [256]bool{bof: true, eof: true, escape: true}

// appendEscaped appends p with C0, C1 and 7D escaped.
func appendEscaped(dst, p []byte) []byte {
	for _, c := range p {
		if needsEscape[c] {
			dst = append(dst, escape, c^escXOR)
			continue
		}
		dst = append(dst, c)
	}
	return dst
}

// AppendUserDataFrame frames raw user data: C0, the escaped header, user
// data and FCS, C1.
func AppendUserDataFrame(dst, userData []byte) ([]byte, error) {
	if len(userData) > MaxUserData {
		return dst, fmt.Errorf("intellivue: user data of %d bytes: want at most %d", len(userData), MaxUserData)
	}
	var h [headerLen]byte
	h[0], h[1] = protoID, msgType
	binary.BigEndian.PutUint16(h[2:], uint16(len(userData)))
	crc := CRCUpdate(CRCUpdate(CRCInit, h[:]), userData)
	fcs := ^crc
	dst = append(dst, bof)
	dst = appendEscaped(dst, h[:])
	dst = appendEscaped(dst, userData)
	dst = appendEscaped(dst, []byte{byte(fcs), byte(fcs >> 8)})
	return append(dst, eof), nil
}

// AppendFrame appends r as a complete frame. It fails, appending nothing,
// when a field is outside its range.
func AppendFrame(dst []byte, r Record) ([]byte, error) {
	if r == nil {
		return dst, fmt.Errorf("intellivue: nil record")
	}
	ud, err := r.appendUserData(nil)
	if err != nil {
		return dst, err
	}
	return AppendUserDataFrame(dst, ud)
}
