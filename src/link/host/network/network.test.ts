import assert from "node:assert/strict";
import { test } from "node:test";
import { encodeSdpRequest, SDP_SECURITY_NONE, SDP_TRANSPORT_TCP } from "../../../v2g/index.js";
import { tcpConnect } from "../../tcp.js";
import { connect, discover, EXI, settle, startPair } from "./test-support.js";

const T = { timeout: 10_000 };

test(
  "network: SDP request/reply, connect, messages both ways, close → v2g-closed on the other side",
  T,
  async () => {
    const p = await startPair();
    try {
      assert.deepEqual([...p.evse.sdpAddress], [...new Uint8Array(15), 1], "advertises ::1 on lo");
      assert.ok(p.evse.v2gPort >= 49152 && p.evse.v2gPort <= 65535);
      assert.equal(p.evse.transport, "tcp");
      const request = encodeSdpRequest({ security: SDP_SECURITY_NONE, transport: SDP_TRANSPORT_TCP });
      const to = await discover(p);
      assert.deepEqual([...p.evseEvents.of("sdp-request")[0]!.datagram], [...request]);
      assert.deepEqual([...to.address], [...p.evse.sdpAddress]);
      assert.equal(to.port, p.evse.v2gPort);

      await connect(p, to);
      const atEvse = p.evseEvents.next("v2g-message");
      p.ev.perform({ kind: "v2g-send", payloadType: EXI, bytes: Uint8Array.of(1, 2, 3), name: "TestReq" });
      const m1 = await atEvse;
      assert.equal(m1.payloadType, EXI);
      assert.deepEqual([...m1.bytes], [1, 2, 3]);
      assert.equal(typeof m1.tMs, "number");

      const atEv = p.evEvents.next("v2g-message");
      p.evse.perform({ kind: "v2g-send", payloadType: EXI, bytes: Uint8Array.of(9, 8), name: "TestRes" });
      assert.deepEqual([...(await atEv).bytes], [9, 8]);

      const closed = p.evseEvents.next("v2g-closed");
      p.ev.perform({ kind: "v2g-close", reason: "done" });
      assert.match((await closed).reason, /peer-closed/);
      await settle();
      assert.equal(p.evEvents.of("v2g-closed").length, 0, "the closing side gets no event");

      p.evse.perform({ kind: "v2g-send", payloadType: EXI, bytes: Uint8Array.of(0), name: "LateRes" });
      assert.equal(p.evse.stats.v2gDropped, 1, "v2g-send with no connection is dropped");
      assert.equal(p.evse.stats.sdpReceived, 1);
      assert.equal(p.evse.stats.sdpSent, 1);
      assert.equal(p.ev.stats.v2gSent, 1);
      assert.equal(p.ev.stats.v2gReceived, 1);
    } finally {
      await p.close();
    }
  },
);

test("network: a second connect replaces the first without a v2g-closed for the new one", T, async () => {
  const p = await startPair();
  try {
    const to = await discover(p);
    await connect(p, to);
    await connect(p, to);
    await settle(200);
    assert.equal(p.evseEvents.of("v2g-connected").length, 2);
    assert.equal(p.evEvents.of("v2g-connected").length, 2);
    assert.equal(p.evEvents.of("v2g-closed").length, 0, "the replaced connection's close is not reported");
    // The EVSE may see the old connection's FIN before or after the new accept; never after it.
    const conn = p.evseEvents.events.filter((e) => e.kind === "v2g-connected" || e.kind === "v2g-closed");
    assert.equal(conn.at(-1)?.kind, "v2g-connected");

    const atEvse = p.evseEvents.next("v2g-message");
    p.ev.perform({ kind: "v2g-send", payloadType: EXI, bytes: Uint8Array.of(7), name: "TestReq" });
    assert.deepEqual([...(await atEvse).bytes], [7]);
    const atEv = p.evEvents.next("v2g-message");
    p.evse.perform({ kind: "v2g-send", payloadType: EXI, bytes: Uint8Array.of(6), name: "TestRes" });
    assert.deepEqual([...(await atEv).bytes], [6]);

    // The EVSE closes the current one: the EV sees it.
    const closed = p.evEvents.next("v2g-closed");
    p.evse.perform({ kind: "v2g-close", reason: "session over" });
    assert.match((await closed).reason, /peer-closed/);
    await settle();
    assert.equal(p.evseEvents.of("v2g-closed").length, 0);
  } finally {
    await p.close();
  }
});

test("network: a connection accepted while one is open replaces it (EVSE side)", T, async () => {
  const p = await startPair();
  try {
    await connect(p, await discover(p));
    const evClosed = p.evEvents.next("v2g-closed");
    const second = p.evseEvents.next("v2g-connected", 1);
    const other = await tcpConnect({ host: "::1", port: p.evse.v2gPort });
    try {
      await second;
      assert.match((await evClosed).reason, /peer-closed/, "the EVSE closed the old one");
      const got = p.evseEvents.next("v2g-message");
      other.send(EXI, Uint8Array.of(4, 2));
      assert.deepEqual([...(await got).bytes], [4, 2]);
      const reply = new Promise<number[]>((r) => other.onMessage((m) => r([...m.payload])));
      p.evse.perform({ kind: "v2g-send", payloadType: EXI, bytes: Uint8Array.of(2, 4), name: "TestRes" });
      assert.deepEqual(await reply, [2, 4]);
      await settle();
      assert.equal(
        p.evseEvents.of("v2g-closed").length,
        0,
        "the replaced connection's close is not reported",
      );
      const closed = p.evseEvents.next("v2g-closed");
      other.close();
      await closed;
    } finally {
      other.close();
    }
  } finally {
    await p.close();
  }
});

test("network: connect failure → v2g-closed with the reason; bad address → v2g-closed", T, async () => {
  const p = await startPair();
  try {
    const to = await discover(p);
    const port = p.evse.v2gPort;
    await p.evse.close();
    const closed = p.evEvents.next("v2g-closed");
    p.ev.perform({ kind: "v2g-connect", address: to.address, port });
    assert.match((await closed).reason, /connect failed/);
    const bad = p.evEvents.next("v2g-closed");
    p.ev.perform({ kind: "v2g-connect", address: new Uint8Array(3), port });
    assert.match((await bad).reason, /connect failed: .*16/);
  } finally {
    await p.close();
  }
});

test("network: sdp-reply before any request is dropped; nothing is pushed after close", T, async () => {
  const p = await startPair();
  p.evse.perform({ kind: "sdp-reply", datagram: new Uint8Array(28) });
  assert.equal(p.evse.stats.sdpDropped, 1);
  const to = await discover(p);
  await connect(p, to);
  const before = { evse: p.evseEvents.events.length, ev: p.evEvents.events.length };
  await p.close();
  await settle();
  assert.equal(p.evseEvents.events.length, before.evse);
  assert.equal(p.evEvents.events.length, before.ev);
  p.ev.perform({ kind: "v2g-send", payloadType: EXI, bytes: Uint8Array.of(1), name: "X" });
  p.evse.perform({ kind: "sdp-reply", datagram: new Uint8Array(28) });
});

test("network: the wire tap sees SDP datagrams, V2GTP messages, open and close", T, async () => {
  const p = await startPair();
  try {
    await connect(p, await discover(p));
    const got = p.evseEvents.next("v2g-message");
    p.ev.perform({ kind: "v2g-send", payloadType: EXI, bytes: Uint8Array.of(5), name: "TestReq" });
    await got;
    const closed = p.evseEvents.next("v2g-closed");
    p.ev.perform({ kind: "v2g-close", reason: "done" });
    await closed;
    await settle();
    const kinds = (es: { kind: string; dir?: string }[]) =>
      es.map((e) => `${e.kind}${e.dir ? `:${e.dir}` : ""}`);
    assert.deepEqual(kinds(p.tap.ev), ["sdp:tx", "sdp:rx", "tcp-open", "v2gtp:tx", "tcp-close"]);
    assert.deepEqual(kinds(p.tap.evse), ["sdp:rx", "sdp:tx", "tcp-open", "v2gtp:rx", "tcp-close"]);
    const msg = p.tap.evse.find((e) => e.kind === "v2gtp");
    assert.ok(msg && msg.kind === "v2gtp");
    assert.deepEqual([...msg.message], [0x01, 0xfe, 0x80, 0x01, 0, 0, 0, 1, 5]);
  } finally {
    await p.close();
  }
});
