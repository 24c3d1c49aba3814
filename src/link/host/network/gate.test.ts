import assert from "node:assert/strict";
import { before, test } from "node:test";
import { makeTestPki, type TestPki } from "../../../../tools/pki/make-test-pki.js";
import { appHandshake } from "../../../codecs/index.js";
import { buildAppProtocolReq, encodeV2gtpMessage } from "../../../v2g/index.js";
import { rawSocket, socketClosed } from "../../test-support.js";
import { emptyConnectionTally, formatConnectionTally, GATE_MAX_PENDING, refusalOf } from "./gate.js";
import { discover, EXI, settle, startPair } from "./test-support.js";

const T = { timeout: 10_000 };
let pki: TestPki;

before(() => {
  pki = makeTestPki({ seccId: "ZZNACS1" });
});
const SAP_REQ = appHandshake.encodeDocument({ supportedAppProtocolReq: buildAppProtocolReq(["din"]) });
const SAP_OK = appHandshake.encodeDocument({
  supportedAppProtocolRes: { ResponseCode: "OK_SuccessfulNegotiation", SchemaID: 1 },
});

test("gate: refusal buckets of a close before supportedAppProtocol; the tally's text", () => {
  assert.equal(refusalOf({ code: "setup-timeout", reason: "" }), "idle");
  assert.equal(refusalOf({ code: "read-timeout", reason: "" }), "idle");
  assert.equal(refusalOf({ code: "protocol-error", reason: "" }), "badV2gtp");
  assert.equal(refusalOf({ code: "peer-closed", reason: "" }), "closedBeforeSap");
  assert.equal(refusalOf({ code: "server-close", reason: "" }), null);
  const t = emptyConnectionTally();
  assert.equal(formatConnectionTally(t), "0 accepted, 0 sessions; none refused");
  t.accepted = 3;
  t.sessions = 1;
  t.refused.idle = 2;
  assert.equal(formatConnectionTally(t), "3 accepted, 1 session; refused: idle 2");
});

test(
  "gate: with admission, strays never reach the controller; a supportedAppProtocolReq does, and counts as a session once answered OK",
  T,
  async () => {
    let ready = false;
    const p = await startPair({
      evse: { v2g: { host: "::1", admission: { ready: () => ready } } },
    });
    try {
      const port = p.evse.v2gPort;
      // Connect-and-close; a bad V2GTP header; a well-framed message that is no supportedAppProtocolReq.
      const a = await rawSocket(port);
      a.end();
      await socketClosed(a);
      const b = await rawSocket(port);
      b.write(new TextEncoder().encode("GET / HTTP/1.1\r\n\r\n"));
      await socketClosed(b);
      const c = await rawSocket(port);
      c.write(encodeV2gtpMessage(EXI, Uint8Array.of(0x80, 0x98, 0x02)));
      await socketClosed(c);
      // A real supportedAppProtocolReq while the controller expects nobody.
      const d = await rawSocket(port);
      d.write(encodeV2gtpMessage(EXI, SAP_REQ));
      await socketClosed(d);
      await settle(50);
      assert.deepEqual(
        p.evseEvents.events.map((e) => e.kind),
        [],
      );

      ready = true;
      const e = await rawSocket(port);
      const connected = p.evseEvents.next("v2g-connected");
      const msg = p.evseEvents.next("v2g-message");
      // The request and a second message in one write: both delivered, in order, after v2g-connected.
      e.write(
        Uint8Array.from([
          ...encodeV2gtpMessage(EXI, SAP_REQ),
          ...encodeV2gtpMessage(EXI, Uint8Array.of(0x80, 7)),
        ]),
      );
      await connected;
      assert.deepEqual([...(await msg).bytes], [...SAP_REQ]);
      assert.deepEqual([...(await p.evseEvents.next("v2g-message", 1)).bytes], [0x80, 7]);
      p.evse.perform({ kind: "v2g-send", payloadType: EXI, bytes: SAP_OK, name: "supportedAppProtocolRes" });
      assert.deepEqual(p.evse.connections, {
        accepted: 5,
        sessions: 1,
        refused: {
          tlsHandshake: 0,
          idle: 0,
          closedBeforeSap: 1,
          badV2gtp: 1,
          notSap: 1,
          sapFailed: 0,
          notReady: 1,
          overload: 0,
          replaced: 0,
        },
      });
      e.destroy();
    } finally {
      await p.close();
    }
  },
);

test("gate: without admission every connection is handed over at once and still tallied", T, async () => {
  const p = await startPair();
  try {
    const a = await rawSocket(p.evse.v2gPort);
    await p.evseEvents.next("v2g-connected", 0);
    a.end();
    await p.evseEvents.next("v2g-closed", 0);
    assert.equal(p.evse.connections.accepted, 1);
    assert.equal(p.evse.connections.refused.closedBeforeSap, 1);
  } finally {
    await p.close();
  }
});

test(
  "gate, TLS: 30 idle and half-ClientHello sockets are closed at the setup bound and counted idle; the EV then connects",
  T,
  async () => {
    const p = await startPair({
      evse: {
        v2g: {
          host: "::1",
          tls: { key: pki.seccLeaf.keyPem, cert: pki.seccChainPem, maxPendingHandshakes: 64 },
          setupTimeoutMs: 300,
          admission: { ready: () => true },
        },
      },
      ev: { tls: { ca: pki.v2gRoot.certPem } },
    });
    try {
      const socks = await Promise.all(Array.from({ length: 30 }, () => rawSocket(p.evse.v2gPort)));
      socks.forEach((s, i) => {
        if (i % 2) s.write(Uint8Array.of(0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc));
      });
      const t0 = performance.now();
      await Promise.all(socks.map(socketClosed));
      const ms = performance.now() - t0;
      assert.ok(ms >= 250 && ms < 3000, `closed after ${ms.toFixed(0)} ms`);
      assert.equal(p.evse.connections.refused.idle, 30);
      assert.equal(p.evse.connections.accepted, 30);

      const to = await discover(p);
      const atEv = p.evEvents.next("v2g-connected");
      p.ev.perform({ kind: "v2g-connect", address: to.address, port: to.port });
      await atEv;
      const atEvse = p.evseEvents.next("v2g-connected");
      p.ev.perform({ kind: "v2g-send", payloadType: EXI, bytes: SAP_REQ, name: "supportedAppProtocolReq" });
      await atEvse;
      assert.deepEqual([...(await p.evseEvents.next("v2g-message", 0)).bytes], [...SAP_REQ]);
    } finally {
      await p.close();
    }
  },
);

test(
  "gate: more connections waiting for their first message than allowed → the oldest are dropped (overload)",
  T,
  async () => {
    const p = await startPair({ evse: { v2g: { host: "::1", admission: { ready: () => true } } } });
    try {
      const socks = [];
      for (let i = 0; i < GATE_MAX_PENDING + 2; i++) socks.push(await rawSocket(p.evse.v2gPort));
      await Promise.all(socks.slice(0, 2).map(socketClosed));
      await settle(50);
      assert.equal(p.evse.connections.refused.overload, 2);
      assert.ok(socks.slice(2).every((s) => !s.destroyed));
      // The newest one is still served.
      socks.at(-1)!.write(encodeV2gtpMessage(EXI, SAP_REQ));
      await p.evseEvents.next("v2g-connected", 0);
      for (const s of socks) s.destroy();
    } finally {
      await p.close();
    }
  },
);
