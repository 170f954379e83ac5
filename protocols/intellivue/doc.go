// Package intellivue decodes and encodes the Philips IntelliVue MIB/RS232
// Data Export protocol as the MP-series monitors speak it on their MIB
// serial port (115200 8N1).
//
// A frame is C0, protocol id 0x11, message type 0x01, a big-endian user-data
// length, the user data, the FCS (CRC-16/X.25, LSB first) and C1. C0, C1
// and 7D inside a frame are sent as 7D followed by the byte XOR 0x20; 7D C1
// or a C0 inside a frame abort it. The user data is either a session-layer
// message (association request, accept, refuse, abort, release) or a Data
// Export message: a remote-operation invoke, result, linked result or error
// carrying the MDS Create Event, polls and poll results.
//
// The package is pure: bytes in, typed records out, and records to bytes.
// [Decoder] is the streaming decoder, [AppendFrame] the encoder,
// [Observations] maps numerics into triage/vitals, the decoder's Waves
// maps real-time sample arrays, and [NewCodec], [NewHost] and [NewEmulator]
// adapt all of it to the protocols/codec contract. See
// docs/protocols/intellivue.md for the format and the choices made where
// sources disagree.
package intellivue
