// Package datex decodes and encodes the GE Datex-Ohmeda S/5 Computer
// Interface (the "DRI" serial protocol of the S/5, CARESCAPE and B-series
// monitors).
//
// On the wire a record is framed by 0x7E flags; 0x7E and 0x7D inside the
// frame (the checksum byte included) are sent as 0x7D followed by the byte
// with bit 5 cleared. The checksum is the unsigned 8-bit sum of the record
// bytes before escaping. A record starts with a packed little-endian
// 40-byte header (length, number, DRI level, plug id, Unix time of the
// monitor's clock, main type and a table of eight subrecord descriptors)
// followed by at most 1450 bytes of data.
//
// The package is pure: bytes in, typed records out, and records to bytes.
// [Decoder] is the streaming decoder, [AppendFrame] the encoder,
// [Observations] and [Waves] map records into triage/vitals, and
// [NewCodec], [NewHost] and [NewEmulator] adapt all of it to the
// protocols/codec contract. See docs/protocols/datex.md for the format and
// the choices made where sources disagree.
package datex
