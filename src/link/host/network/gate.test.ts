import assert from "node:assert/strict";
import { test } from "node:test";
import { appHandshake } from "../../../codecs/index.js";
import { buildAppProtocolReq, encodeV2gtpMessage } from "../../../v2g/index.js";
import { rawSocket, socketClosed } from "../../test-support.js";
import { emptyConnectionTally, formatConnectionTally, refusalOf } from "./gate.js";
import { EXI, settle, startPair } from "./test-support.js";

const T = { timeout: 10_000 };
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
