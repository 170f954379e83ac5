// A loopback MLLP receiver for the HL7 v2 tests. Every message is parsed
// by @medplum/core's Hl7Message (a parser not written here) and printed as
// one JSON line; the answer is its buildAck() with the codes given as
// arguments, in order (AA, AE, AR, or "drop" to close without answering),
// then AA. Prints "listening <port>" once ready.
'use strict';
const net = require('net');
const { Hl7Message } = require('@medplum/core');
const plan = process.argv.slice(2);
let n = 0;
const server = net.createServer((sock) => {
  let buf = Buffer.alloc(0);
  sock.on('data', (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      const start = buf.indexOf(0x0b);
      const end = buf.indexOf(Buffer.from([0x1c, 0x0d]));
      if (start < 0 || end < 0) return;
      const text = buf.subarray(start + 1, end).toString('utf8');
      buf = buf.subarray(end + 2);
      const msg = Hl7Message.parse(text);
      const msh = msg.getSegment('MSH');
      const pid = msg.getSegment('PID');
      const obx = msg.getAllSegments('OBX').map((s) => ({
        id: s.getField(3).getComponent(1), name: s.getField(3).getComponent(2), system: s.getField(3).getComponent(3),
        value: s.getField(5).getComponent(1), unit: s.getField(6).getComponent(1), status: s.getField(11).toString(),
        time: s.getField(14).toString(), device: s.getField(18).getComponent(1),
      }));
      const action = plan[n] || 'AA';
      n++;
      console.log(JSON.stringify({
        n, action, type: msh.getField(9).toString(), control: msh.getField(10).toString(), version: msh.getField(12).toString(),
        ack: msh.getField(15).toString(), profile: msh.getField(21).getComponent(1), pid3: pid.getField(3).toString(), obx,
      }));
      if (action === 'drop') { sock.destroy(); return; }
      sock.write(Buffer.concat([Buffer.from([0x0b]), Buffer.from(msg.buildAck({ ackCode: action }).toString()), Buffer.from([0x1c, 0x0d])]));
    }
  });
  sock.on('error', () => {});
});
server.listen(0, '127.0.0.1', () => console.log('listening ' + server.address().port));
