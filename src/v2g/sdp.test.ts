import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  decodeSdpRequest,
  decodeSdpResponse,
  encodeSdpRequest,
  encodeSdpResponse,
  SDP_SECURITY_NONE,
  SDP_SECURITY_TLS,
  SDP_TRANSPORT_TCP,
  SDP_TRANSPORT_UDP,
  type SdpResponse,
} from "./sdp.js";
import { parseIpv6 } from "./sdp-ipv6.js";
import { V2gtpError } from "./v2gtp.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const unhex = (s: string) => Uint8Array.from(Buffer.from(s, "hex"));
const code = (c: string) => (e: unknown) => e instanceof V2gtpError && e.code === c;
const arbSec = fc.constantFrom(SDP_SECURITY_TLS, SDP_SECURITY_NONE);
const arbTr = fc.constantFrom(SDP_TRANSPORT_TCP, SDP_TRANSPORT_UDP);

test("sdp: request datagram is 10 bytes 01fe9000 00000002 sec tr (ISO 15118-2 §7.10.1)", () => {
  const b = encodeSdpRequest({ security: SDP_SECURITY_NONE, transport: SDP_TRANSPORT_TCP });
  assert.equal(hex(b), "01fe9000000000021000");
  assert.deepEqual(decodeSdpRequest(b), { security: 0x10, transport: 0x00 });
});

test("sdp: response datagram is 28 bytes: address, big-endian port, security, transport", () => {
  const res: SdpResponse = {
    address: parseIpv6("fe80::3e1:2ff:fe03:405"),
    port: 0xc350,
    security: SDP_SECURITY_TLS,
    transport: SDP_TRANSPORT_TCP,
  };
  const b = encodeSdpResponse(res);
  assert.equal(hex(b), "01fe900100000014fe8000000000000003e102fffe030405c3500000");
  assert.deepEqual(decodeSdpResponse(b), { ...res, warnings: [] });
});

test("sdp: port outside 49152-65535 — decode warns, encode refuses unless allowAnyPort", () => {
  const res: SdpResponse = { address: new Uint8Array(16), port: 15118, security: 0x10, transport: 0x00 };
  assert.throws(() => encodeSdpResponse(res), /sdp port: 15118, must be an integer 49152..65535/);
  const d = decodeSdpResponse(encodeSdpResponse(res, { allowAnyPort: true }));
  assert.equal(d.port, 15118);
  assert.equal(d.warnings.length, 1);
  assert.match(d.warnings[0]!, /outside 49152..65535/);
});

test("sdp: invalid values and framing are named errors", () => {
  assert.throws(() => decodeSdpRequest(unhex("01fe9000000000022000")), code("bad-field"));
  assert.throws(() => decodeSdpRequest(unhex("01fe9000000000021011")), code("bad-field"));
  assert.throws(() => decodeSdpRequest(unhex("01fe900000000003100000")), code("too-long"));
  assert.throws(() => decodeSdpRequest(unhex("01fe90000000000110")), code("length-mismatch"));
  assert.throws(() => decodeSdpRequest(unhex("01fe9001000000021000")), code("wrong-payload-type"));
  assert.throws(() => decodeSdpRequest(unhex("01fe90000000000210")), code("length-mismatch"));
  assert.throws(() => decodeSdpResponse(unhex("00ff900100000014")), code("bad-version"));
  assert.throws(
    () => encodeSdpRequest({ security: 0x20 as never, transport: SDP_TRANSPORT_TCP }),
    /sdp security: 32, must be 0x00 \(TLS\) or 0x10 \(none\)/,
  );
  assert.throws(
    () => encodeSdpResponse({ address: new Uint8Array(4), port: 50000, security: 0, transport: 0 }),
    code("bad-field"),
  );
});

test("sdp: request and response round-trip (property)", () => {
  fc.assert(
    fc.property(arbSec, arbTr, (security, transport) => {
      assert.deepEqual(decodeSdpRequest(encodeSdpRequest({ security, transport })), { security, transport });
    }),
  );
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 16, maxLength: 16 }),
      fc.integer({ min: 49152, max: 65535 }),
      arbSec,
      arbTr,
      (address, port, security, transport) => {
        const r = decodeSdpResponse(encodeSdpResponse({ address, port, security, transport }));
        assert.deepEqual(r, { address, port, security, transport, warnings: [] });
      },
    ),
    { numRuns: 200 },
  );
});

test("sdp: random datagrams decode or throw V2gtpError (property)", () => {
  const nearly = fc.oneof(
    fc
      .uint8Array({ minLength: 2, maxLength: 2 })
      .map((p) => Uint8Array.from([...unhex("01fe900000000002"), ...p])),
    fc
      .uint8Array({ minLength: 20, maxLength: 20 })
      .map((p) => Uint8Array.from([...unhex("01fe900100000014"), ...p])),
    fc.uint8Array({ maxLength: 40 }),
  );
  fc.assert(
    fc.property(nearly, (b) => {
      for (const dec of [decodeSdpRequest, decodeSdpResponse]) {
        try {
          dec(b);
        } catch (e) {
          assert.ok(e instanceof V2gtpError, `unexpected ${String(e)}`);
        }
      }
    }),
    { numRuns: 300 },
  );
});
