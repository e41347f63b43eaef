// A real HL7 client for the MLLP round trip: node-hl7-client 3.2.0 sends one message to our
// listener on 127.0.0.1 and prints the MSA of the ACK it gets back as JSON.
//   node hl7-send.cjs MODULE_DIR PORT MESSAGE_FILE
'use strict';

const fs = require('fs');
const [moduleDir, portText, file] = process.argv.slice(2);
const { Client, Message } = require(moduleDir);

const text = fs.readFileSync(file, 'utf8').replace(/\r?\n/g, '\r').replace(/\r+$/, '');
const timer = setTimeout(() => {
  console.error('no ACK within 10 s');
  process.exit(3);
}, 10000);

const client = new Client({ host: '127.0.0.1' });
const connection = client.createConnection({ port: Number(portText), waitAck: true }, async (res) => {
  const ack = res.getMessage();
  console.log(JSON.stringify({
    msa1: ack.get('MSA.1').toString(),
    msa2: ack.get('MSA.2').toString(),
    msh9: ack.get('MSH.9.1').toString(),
  }));
  clearTimeout(timer);
  await connection.close();
  process.exit(0);
});
connection.on('client.error', (err) => {
  console.error('client error:', err && err.message ? err.message : err);
  process.exit(4);
});
connection.sendMessage(new Message({ text })).catch((err) => {
  console.error('send failed:', err && err.message ? err.message : err);
  process.exit(5);
});
