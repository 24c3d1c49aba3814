import assert from "node:assert/strict";
import { test } from "node:test";
import { type Clock, createVirtualClock } from "../../machine/index.js";
import { decodeSlacFrame, encodeSlacFrame } from "../frame.js";
import { seededPrng } from "../matching/prng.js";
import {
  MODEM_NONE_SOUND_ATTENUATION_DB,
  QCA_LINK_POLL_INTERVAL_MS,
  QCA_LOCAL_MANAGEMENT_MAC,
} from "./constants.js";
import { qcaLinkStatusReq, qcaModem } from "./modem.js";
import { createPortPair } from "./port-pair.js";
import { startEvSlac, startEvseSlac } from "./start.js";

/** Deterministic timers: the virtual clock, run synchronously up to a bound or until `stop()` holds. */
function fakeTimers() {
  const c = createVirtualClock();
  return Object.assign(c, {
    runTo(untilMs: number, stop: () => boolean = () => false): void {
      while (!stop()) {
        const t = c.peekTime();
        if (t === undefined || t > untilMs) break;
        c.runNext();
      }
    },
  });
}

const EV_MAC = Uint8Array.from([0x02, 0, 0, 0, 0, 0x0e]);
const EVSE_MAC = Uint8Array.from([0x02, 0, 0, 0, 0, 0x05]);

function pair(timers: Clock, soundAttenuationDb?: number) {
  const p = createPortPair({ macA: EV_MAC, macB: EVSE_MAC, latencyMs: 1, timers });
  const evse = startEvseSlac({
    port: p.b,
    timers,
    emulateCp: true,
    config: { random: seededPrng(2).bytes },
    ...(soundAttenuationDb === undefined ? {} : { soundAttenuationDb }),
  });
  const ev = startEvSlac({ port: p.a, timers, config: { random: seededPrng(1).bytes } });
  return { p, ev, evse };
}

test("driver: EV and EVSE match over a port pair (modem none, fake timers), same NMK/NID, frames as ISO 15118-3 orders them", async () => {
  const timers = fakeTimers();
  const { p, ev, evse } = pair(timers);
  let evDone = false;
  let evseDone = false;
  void ev.outcome.then(() => {
    evDone = true;
  });
  void evse.outcome.then(() => {
    evseDone = true;
  });
  // outcome promises settle in microtasks; the fake clock runs synchronously, so check the states.
  timers.runTo(30_000, () => ev.state().phase === "matched" && evse.state().phase === "matched");
  assert.equal(ev.state().phase, "matched");
  assert.equal(evse.state().phase, "matched");
  const [a, b] = await Promise.all([ev.outcome, evse.outcome]);
  assert.ok(evDone && evseDone);
  assert.equal(a.kind, "matched");
  assert.equal(b.kind, "matched");
  if (a.kind !== "matched" || b.kind !== "matched") return;
  assert.deepEqual(a.nmk, b.nmk);
  assert.deepEqual(a.nid, b.nid);
  assert.deepEqual(a.peerMac, EVSE_MAC);
  assert.deepEqual(b.peerMac, EV_MAC);
  const evKinds = p.sent.a.map((f) => decodeSlacFrame(f).mme.kind);
  assert.equal(evKinds[0], "CM_SLAC_PARM.REQ");
  assert.equal(evKinds.filter((k) => k === "CM_START_ATTEN_CHAR.IND").length, 3);
  assert.equal(evKinds.filter((k) => k === "CM_MNBC_SOUND.IND").length, 10);
  assert.deepEqual(evKinds.slice(-2), ["CM_ATTEN_CHAR.RSP", "CM_SLAC_MATCH.REQ"]);
  const evseKinds = p.sent.b.map((f) => decodeSlacFrame(f).mme.kind);
  assert.deepEqual(evseKinds, ["CM_SLAC_PARM.CNF", "CM_ATTEN_CHAR.IND", "CM_SLAC_MATCH.CNF"]);
  for (const f of [...p.sent.a, ...p.sent.b]) assert.ok(f.length >= 60, `frame of ${f.length} bytes`);
  // modem none: the EVSE reports the fixed per-sound attenuation in every group
  const ind = decodeSlacFrame(p.sent.b[1]!).mme;
  assert.equal(ind.kind, "CM_ATTEN_CHAR.IND");
  if (ind.kind === "CM_ATTEN_CHAR.IND") {
    assert.equal(ind.numSounds, 10);
    assert.ok(ind.aag.every((v) => v === MODEM_NONE_SOUND_ATTENUATION_DB));
  }
  assert.equal(ev.stats.framesSent, p.sent.a.length);
  assert.equal(evse.stats.framesReceived, p.sent.a.length);
  ev.stop();
  evse.stop();
  assert.equal(timers.pending, 0, "stop clears every timer");
});

test("driver: a sound attenuation above C_EV_match_signalattn_direct makes the EV refuse the EVSE", async () => {
  const timers = fakeTimers();
  const { ev, evse } = pair(timers, 60);
  timers.runTo(60_000, () => ev.state().phase === "failed");
  const o = await ev.outcome;
  assert.equal(o.kind, "failed");
  if (o.kind === "failed") assert.equal(o.reason, "attenuation-too-high");
  evse.stop();
});

test("driver: an EV alone fails with no-slac-parm-cnf; stop() settles 'stopped' and is idempotent", async () => {
  const timers = fakeTimers();
  const p = createPortPair({ macA: EV_MAC, macB: EVSE_MAC, latencyMs: 1, timers });
  const ev = startEvSlac({ port: p.a, timers, config: { random: seededPrng(3).bytes } });
  timers.runTo(120_000, () => ev.state().phase === "failed");
  const o = await ev.outcome;
  assert.deepEqual(o.kind === "failed" ? o.reason : o.kind, "no-slac-parm-cnf");
  const kinds = new Set(p.sent.a.map((f) => decodeSlacFrame(f).mme.kind));
  assert.deepEqual([...kinds], ["CM_SLAC_PARM.REQ"]);

  const ev2 = startEvSlac({ port: p.a, timers, config: { random: seededPrng(4).bytes } });
  ev2.stop();
  ev2.stop();
  assert.equal((await ev2.outcome).kind, "stopped");
  const before = p.sent.a.length;
  ev2.push({ kind: "start" });
  assert.equal(p.sent.a.length, before, "a stopped run sends nothing");
});

test("driver: frames the codec refuses are counted and ignored", () => {
  const timers = fakeTimers();
  const p = createPortPair({ macA: EV_MAC, macB: EVSE_MAC, timers });
  const evse = startEvseSlac({ port: p.b, timers, emulateCp: true, config: { random: seededPrng(5).bytes } });
  p.a.send(new Uint8Array(8)); // truncated
  const ipv6 = new Uint8Array(60);
  ipv6[12] = 0x86;
  ipv6[13] = 0xdd;
  p.a.send(ipv6); // not HomePlug
  return new Promise<void>((resolve) =>
    queueMicrotask(() => {
      assert.equal(evse.stats.undecodable, 2);
      assert.equal(evse.stats.framesReceived, 0);
      evse.stop();
      resolve();
    }),
  );
});

test("driver: modem qca sends CM_SET_KEY.REQ to the modem, polls VS_LINK_STATUS, reports link up once", () => {
  const timers = fakeTimers();
  const sent: ReturnType<typeof decodeSlacFrame>[] = [];
  let ups = 0;
  const m = qcaModem({
    hostMac: EVSE_MAC,
    send: (f) => sent.push(decodeSlacFrame(encodeSlacFrame(f))),
    timers,
    onLinkUp: () => ups++,
  });
  const nmk = new Uint8Array(16).fill(7);
  const nid = new Uint8Array(7).fill(3);
  m.setKey(nmk, nid);
  assert.equal(sent[0]?.mme.kind, "CM_SET_KEY.REQ");
  assert.deepEqual([...sent[0]!.dst], QCA_LOCAL_MANAGEMENT_MAC);
  if (sent[0]?.mme.kind === "CM_SET_KEY.REQ") assert.deepEqual(sent[0].mme.newKey, nmk);
  timers.runTo(QCA_LINK_POLL_INTERVAL_MS * 2);
  const polls = sent.filter((f) => f.mme.kind === "unknown");
  assert.equal(polls.length, 2);
  const cnf = (status: number) =>
    decodeSlacFrame(
      encodeSlacFrame({
        dst: EVSE_MAC,
        src: Uint8Array.from(QCA_LOCAL_MANAGEMENT_MAC),
        mme: {
          kind: "unknown",
          mmv: 0,
          mmtype: 0xa0b9,
          payload: Uint8Array.from([0, 0xb0, 0x52, 0, status]),
        },
      }),
    );
  assert.equal(m.onFrame(cnf(0)), true);
  assert.equal(ups, 0, "not linked yet");
  assert.equal(m.onFrame(cnf(1)), true);
  assert.equal(m.onFrame(cnf(1)), true);
  assert.equal(ups, 1);
  assert.equal(timers.pending, 0, "polling stopped after link up");
  assert.equal(m.onFrame(decodeSlacFrame(encodeSlacFrame(qcaLinkStatusReq(EV_MAC, EVSE_MAC)))), false);
});

test("driver: EV and EVSE match in real time over a port pair", { timeout: 10_000 }, async () => {
  const p = createPortPair({ macA: EV_MAC, macB: EVSE_MAC });
  const evse = startEvseSlac({ port: p.b, emulateCp: true, config: { random: seededPrng(8).bytes } });
  const ev = startEvSlac({ port: p.a, config: { random: seededPrng(9).bytes, batchIntervalMs: 20 } });
  // The wall clock's timers are unref'd (a host's ports keep its process alive); an in-memory port pair
  // holds nothing open, so the test does.
  const hold = setInterval(() => {}, 1000);
  const [a, b] = await Promise.all([ev.outcome, evse.outcome]).finally(() => clearInterval(hold));
  ev.stop();
  evse.stop();
  assert.equal(a.kind, "matched");
  assert.equal(b.kind, "matched");
  assert.ok(a.atMs < 5000, `matched after ${a.atMs} ms`);
});
