import assert from "node:assert/strict";
import { test } from "node:test";
import { T_STEP_EF_MS } from "../../pilot/constants.js";
import type { SlacFrame } from "../frame.js";
import {
  C_SEQU_RETRY_COUNT,
  EARLY_PARM_REQ_WINDOW_MS,
  evseNoParmBoundMs,
  TT_EVSE_SLAC_INIT_MAX_MS,
  TT_EVSE_SLAC_INIT_MS,
  TT_MATCH_SEQUENCE_MS,
} from "./constants.js";
import { SlacConfigError } from "./errors.js";
import { type EvseSlacState, evseSlacStep, initialEvseSlac } from "./evse.js";
import { slacParmReq } from "./messages.js";
import { seededPrng } from "./prng.js";
import type { EvseSlacEvent, SlacEffect } from "./types.js";

const EVSE = Uint8Array.from([2, 0, 0, 0, 0, 1]);
const EV = Uint8Array.from([2, 0, 0, 0, 0, 2]);
const RUN = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
const fresh = (over = {}) => initialEvseSlac({ mac: EVSE, random: seededPrng(1).bytes, ...over });

/** Feed events, firing timers in time order (a tiny driver without a medium). */
function drive(s0: EvseSlacState, events: EvseSlacEvent[], untilMs: number) {
  let s = s0;
  const timers = new Map<string, number>();
  const out: { tMs: number; fx: SlacEffect }[] = [];
  const queue = [...events];
  for (;;) {
    const nextTimer = [...timers.entries()].sort((a, b) => a[1] - b[1])[0];
    const nextEv = queue[0];
    let ev: EvseSlacEvent;
    if (nextTimer && (!nextEv || nextTimer[1] < nextEv.tMs)) {
      timers.delete(nextTimer[0]);
      ev = { kind: "timer", id: nextTimer[0], tMs: nextTimer[1] };
    } else if (nextEv) ev = queue.shift()!;
    else break;
    if (ev.tMs > untilMs) break;
    const [n, fx] = evseSlacStep(s, ev);
    s = n;
    for (const e of fx) {
      out.push({ tMs: ev.tMs, fx: e });
      if (e.kind === "set-timer") timers.set(e.id, e.atMs);
      if (e.kind === "clear-timer") timers.delete(e.id);
    }
  }
  return { s, out };
}

test("evse: no CM_SLAC_PARM.REQ — E/F for T_step_EF, C_sequ_retry retries, then X1 and failed", () => {
  const { s, out } = drive(fresh(), [{ kind: "cp", state: "B", duty: 5, tMs: 0 }], 10 * evseNoParmBoundMs());
  const cp = out.filter((o) => o.fx.kind === "cp").map((o) => [o.tMs, (o.fx as { action: string }).action]);
  const want: [number, string][] = [];
  let t = 0;
  for (let i = 0; i < C_SEQU_RETRY_COUNT; i++) {
    t += TT_EVSE_SLAC_INIT_MS;
    want.push([t, "ef"]);
    t += T_STEP_EF_MS;
    want.push([t, "resume"]);
  }
  want.push([t + TT_EVSE_SLAC_INIT_MS, "x1"]);
  assert.deepEqual(cp, want);
  const failed = out.find((o) => o.fx.kind === "failed")!;
  assert.deepEqual(failed.fx, { kind: "failed", reason: "no-slac-parm-req" });
  assert.equal(failed.tMs, evseNoParmBoundMs());
  assert.equal(s.phase, "failed");
});

test("evse: TT_EVSE_SLAC_init is configurable within 20–50 s; outside is a SlacConfigError naming the field", () => {
  const { out } = drive(fresh({ slacInitMs: 20_000 }), [{ kind: "cp", state: "B", duty: 5, tMs: 0 }], 30_000);
  assert.equal(out.find((o) => o.fx.kind === "cp")?.tMs, 20_000);
  assert.throws(
    () => fresh({ slacInitMs: TT_EVSE_SLAC_INIT_MAX_MS + 1 }),
    (e: unknown) =>
      e instanceof SlacConfigError && /evse\.slacInitMs/.test(e.message) && e.code === "bad-config",
  );
  assert.throws(() => fresh({ maxParallel: 0 }), SlacConfigError);
  assert.throws(() => fresh({ mac: new Uint8Array(5) }), /evse\.mac/);
});

test("evse: without 5 % (nominal PWM) no TT_EVSE_SLAC_init runs; a later 5 % starts it", () => {
  const { out } = drive(
    fresh(),
    [
      { kind: "cp", state: "B", duty: 16, tMs: 0 },
      { kind: "cp", state: "B", duty: 5, tMs: 60_000 },
    ],
    100_000,
  );
  assert.equal(out.find((o) => o.fx.kind === "cp")?.tMs, 60_000 + TT_EVSE_SLAC_INIT_MS);
});

test("evse: plug-in emits set-key with a fresh NMK and its NID; each plug-in a new NMK", () => {
  let s = fresh();
  const keys: Uint8Array[] = [];
  for (const [i, st] of (["B", "A", "B"] as const).entries()) {
    const [n, fx] = evseSlacStep(s, { kind: "cp", state: st, duty: 5, tMs: i * 1000 });
    s = n;
    for (const e of fx) if (e.kind === "set-key") keys.push(e.nmk);
  }
  assert.equal(keys.length, 2);
  assert.notDeepEqual(keys[0], keys[1]);
});

test("evse: an early CM_SLAC_PARM.REQ (CP still A) is answered at plug-in only within the window", () => {
  const req = { kind: "frame" as const, frame: slacParmReq(EV, RUN) as SlacFrame, tMs: 0 };
  for (const [plugAt, answered] of [
    [EARLY_PARM_REQ_WINDOW_MS, true],
    [EARLY_PARM_REQ_WINDOW_MS + 1, false],
  ] as const) {
    let [s, fx] = evseSlacStep(fresh(), req);
    assert.ok(!fx.some((e) => e.kind === "send"));
    [s, fx] = evseSlacStep(s, { kind: "cp", state: "B", duty: 5, tMs: plugAt });
    const sent = fx.filter((e) => e.kind === "send");
    assert.equal(sent.length, answered ? 1 : 0, `plug-in at ${plugAt}`);
    assert.equal(s.seenParmReq, answered);
  }
});

test("evse: session waits TT_match_sequence for START_ATTEN_CHAR, then fails and TT_EVSE_SLAC_init runs again", () => {
  const { s, out } = drive(
    fresh(),
    [
      { kind: "cp", state: "B", duty: 5, tMs: 0 },
      { kind: "frame", frame: slacParmReq(EV, RUN), tMs: 100 },
    ],
    100 + TT_MATCH_SEQUENCE_MS + 1,
  );
  assert.equal(s.sessions[0]?.phase, "failed");
  assert.equal(s.seenParmReq, false);
  assert.ok(s.initTimer !== undefined, "init supervision re-armed");
  assert.ok(out.some((o) => o.tMs === 100 + TT_MATCH_SEQUENCE_MS && o.fx.kind === "log"));
});

test("evse: a stale timer id is ignored; frames from its own MAC are ignored", () => {
  const [s] = evseSlacStep(fresh(), { kind: "cp", state: "B", duty: 5, tMs: 0 });
  const [s2, fx] = evseSlacStep(s, { kind: "timer", id: "init#999", tMs: 50_000 });
  assert.deepEqual(fx, []);
  assert.equal(s2.phase, "listening");
  const [, fx2] = evseSlacStep(s, { kind: "frame", frame: slacParmReq(EVSE, RUN), tMs: 1 });
  assert.deepEqual(fx2, []);
});

test("evse: C_EVSE_match_parallel sessions at most", () => {
  let [s] = evseSlacStep(fresh({ maxParallel: 2 }), { kind: "cp", state: "B", duty: 5, tMs: 0 });
  let answers = 0;
  for (let i = 0; i < 4; i++) {
    const mac = Uint8Array.from([2, 0, 0, 0, 1, i]);
    const [n, fx] = evseSlacStep(s, { kind: "frame", frame: slacParmReq(mac, RUN), tMs: 1 + i });
    s = n;
    answers += fx.filter((e) => e.kind === "send").length;
  }
  assert.equal(answers, 2);
  assert.equal(s.sessions.length, 2);
});
