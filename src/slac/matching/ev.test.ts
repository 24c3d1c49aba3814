import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { AAG_GROUPS } from "../constants.js";
import type { SlacFrame } from "../frame.js";
import { nidFromNmk } from "../keys.js";
import {
  C_EV_MATCH_RETRY,
  C_EV_MATCH_SIGNALATTN_DIRECT_DB,
  SET_KEY_TIMEOUT_MS,
  TT_EV_ATTEN_RESULTS_MS,
  TT_MATCH_RESPONSE_MS,
} from "./constants.js";
import { SlacConfigError } from "./errors.js";
import { type EvSlacState, evSlacStep, initialEvSlac } from "./ev.js";
import { attenCharInd, slacMatchCnf, slacParmCnf } from "./messages.js";
import { seededPrng } from "./prng.js";
import type { EvSlacEvent, SlacEffect } from "./types.js";

const EV = Uint8Array.from([2, 0, 0, 0, 0, 2]);
const EVSE_A = Uint8Array.from([2, 0, 0, 0, 0, 0xa]);
const EVSE_B = Uint8Array.from([2, 0, 0, 0, 0, 0xb]);
const EVSE_C = Uint8Array.from([2, 0, 0, 0, 0, 0xc]);
const fresh = (over = {}) => initialEvSlac({ mac: EV, random: seededPrng(9).bytes, ...over });
const profile = (db: number) => new Uint8Array(AAG_GROUPS).fill(db);

function feed(s0: EvSlacState, evs: EvSlacEvent[]): { s: EvSlacState; fx: SlacEffect[] } {
  let s = s0;
  const all: SlacEffect[] = [];
  for (const e of evs) {
    const [n, fx] = evSlacStep(s, e);
    s = n;
    all.push(...fx);
  }
  return { s, fx: all };
}
const timerOf = (fx: SlacEffect[], name: string) =>
  fx.filter((e) => e.kind === "set-timer" && e.id.startsWith(`${name}#`)).at(-1) as
    | { id: string; atMs: number }
    | undefined;
const sent = (fx: SlacEffect[]) => fx.flatMap((e) => (e.kind === "send" ? [e.frame] : []));

/** Start and get to "sounding" with the CNF of EVSE A. */
function sounding(over = {}) {
  const a = feed(fresh(over), [{ kind: "start", tMs: 0 }]);
  const runId = (sent(a.fx)[0]!.mme as { runId: Uint8Array }).runId;
  const b = feed(a.s, [{ kind: "frame", frame: slacParmCnf(EVSE_A, EV, runId), tMs: 5 }]);
  return { s: b.s, fx: [...a.fx, ...b.fx], runId };
}

test("ev: PARM.REQ retried every TT_match_response, C_EV_match_retry times, then no-slac-parm-cnf", () => {
  let { s, fx } = feed(fresh(), [{ kind: "start", tMs: 0 }]);
  const times: number[] = [0];
  for (;;) {
    const t = timerOf(fx, "resp");
    if (!t) break;
    ({ s, fx } = feed(s, [{ kind: "timer", id: t.id, tMs: t.atMs }]));
    if (sent(fx).length) times.push(t.atMs);
    if (s.phase === "failed") break;
  }
  assert.deepEqual(
    times,
    Array.from({ length: 1 + C_EV_MATCH_RETRY }, (_, i) => i * TT_MATCH_RESPONSE_MS),
  );
  assert.equal(s.failure, "no-slac-parm-cnf");
  assert.ok(fx.some((e) => e.kind === "failed" && e.reason === "no-slac-parm-cnf"));
});

test("ev: picks the lowest mean attenuation within C_EV_match_signalattn_direct and acknowledges every IND", () => {
  const { s, fx, runId } = sounding();
  const results = timerOf(fx, "results")!;
  assert.equal(results.atMs, 5 + TT_EV_ATTEN_RESULTS_MS);
  const r = feed(s, [
    { kind: "frame", frame: attenCharInd(EVSE_A, EV, runId, 10, profile(30)), tMs: 500 },
    { kind: "frame", frame: attenCharInd(EVSE_B, EV, runId, 10, profile(22)), tMs: 510 },
    { kind: "frame", frame: attenCharInd(EVSE_C, EV, runId, 10, profile(10)), tMs: 520 },
    // C again with another RunID: not ours, ignored (no RSP)
    { kind: "frame", frame: attenCharInd(EVSE_C, EV, new Uint8Array(8), 10, profile(1)), tMs: 530 },
  ]);
  assert.equal(sent(r.fx).filter((f) => f.mme.kind === "CM_ATTEN_CHAR.RSP").length, 3);
  const d = feed(r.s, [{ kind: "timer", id: results.id, tMs: results.atMs }]);
  const req = sent(d.fx).find((f) => f.mme.kind === "CM_SLAC_MATCH.REQ")!;
  assert.deepEqual(req.dst, EVSE_C);
  // Threshold: with only EVSE far above it the EV does not ask anyone to match.
  const { s: s2, fx: fx2, runId: run2 } = sounding({ maxAttenuationDb: 20 });
  const far = feed(s2, [
    { kind: "frame", frame: attenCharInd(EVSE_A, EV, run2, 10, profile(21)), tMs: 500 },
    { kind: "timer", id: timerOf(fx2, "results")!.id, tMs: 1205 },
  ]);
  assert.ok(!sent(far.fx).some((f) => f.mme.kind === "CM_SLAC_MATCH.REQ"));
  assert.equal(far.s.attempts, 2, "a new matching attempt started");
});

test("ev: the decision is the minimum mean over random profiles (property)", () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 4 }), (dbs) => {
      const { s, fx, runId } = sounding();
      const macs = dbs.map((_, i) => Uint8Array.from([2, 0, 0, 0, 1, i]));
      const evs: EvSlacEvent[] = dbs.map((db, i) => ({
        kind: "frame",
        frame: attenCharInd(macs[i]!, EV, runId, 10, profile(db)),
        tMs: 100 + i,
      }));
      const t = timerOf(fx, "results")!;
      const r = feed(s, [...evs, { kind: "timer", id: t.id, tMs: t.atMs }]);
      const ok = dbs.filter((d) => d <= C_EV_MATCH_SIGNALATTN_DIRECT_DB);
      const req = sent(r.fx).find((f) => f.mme.kind === "CM_SLAC_MATCH.REQ");
      if (ok.length === 0) assert.equal(req, undefined);
      else assert.deepEqual(req?.dst, macs[dbs.indexOf(Math.min(...ok))]);
    }),
    { numRuns: 100 },
  );
});

test("ev: no CM_ATTEN_CHAR.IND in TT_EV_atten_results → 1 + C_EV_match_retry attempts, then no-atten-char-ind", () => {
  let { s, fx } = sounding();
  const starts: number[] = [];
  while (s.phase !== "failed") {
    // Answer each new CM_SLAC_PARM.REQ so that sounding runs, but let no EVSE report attenuation.
    const req = sent(fx).find((f) => f.mme.kind === "CM_SLAC_PARM.REQ");
    if (req && s.phase === "parm") {
      ({ s, fx } = feed(s, [{ kind: "frame", frame: slacParmCnf(EVSE_A, EV, s.runId), tMs: 0 }]));
    }
    const t = timerOf(fx, "results")!;
    starts.push(t.atMs);
    ({ s, fx } = feed(s, [{ kind: "timer", id: t.id, tMs: t.atMs }]));
  }
  assert.equal(starts.length, 1 + C_EV_MATCH_RETRY);
  assert.equal(s.failure, "no-atten-char-ind");
});

function toMatchCnf(over = {}) {
  const { s, fx, runId } = sounding(over);
  const t = timerOf(fx, "results")!;
  const r = feed(s, [
    { kind: "frame", frame: attenCharInd(EVSE_A, EV, runId, 10, profile(20)), tMs: 500 },
    { kind: "timer", id: t.id, tMs: t.atMs },
  ]);
  const nmk = seededPrng(4).bytes(16);
  const cnf: SlacFrame = slacMatchCnf(EVSE_A, EV, runId, nidFromNmk(nmk), nmk);
  return { s: r.s, cnf, nmk, t: t.atMs };
}

test("ev: CM_SLAC_MATCH.CNF → set-key; modem none matched at once, qca after SET_KEY.CNF and link", () => {
  const none = toMatchCnf();
  const a = feed(none.s, [{ kind: "frame", frame: none.cnf, tMs: none.t + 2 }]);
  assert.deepEqual(
    a.fx.filter((e) => e.kind === "set-key" || e.kind === "matched").map((e) => e.kind),
    ["set-key", "matched"],
  );
  const qca = toMatchCnf({ modem: "qca" });
  let b = feed(qca.s, [{ kind: "frame", frame: qca.cnf, tMs: qca.t + 2 }]);
  assert.equal(b.s.phase, "set-key");
  b = feed(b.s, [
    { kind: "modem", ev: "set-key-cnf", ok: true, tMs: qca.t + 10 },
    { kind: "modem", ev: "link", up: true, tMs: qca.t + 300 },
  ]);
  const m = b.fx.find((e) => e.kind === "matched");
  assert.ok(m && m.kind === "matched");
  assert.deepEqual(m.nmk, qca.nmk);
  // A repeated ATTEN_CHAR.IND after the match is still acknowledged.
  const again = feed(b.s, [
    { kind: "frame", frame: attenCharInd(EVSE_A, EV, b.s.runId, 10, profile(20)), tMs: qca.t + 400 },
  ]);
  assert.equal(sent(again.fx)[0]?.mme.kind, "CM_ATTEN_CHAR.RSP");
});

test("ev: modem qca without SET_KEY.CNF → set-key-timeout after SET_KEY_TIMEOUT", () => {
  const q = toMatchCnf({ modem: "qca" });
  const a = feed(q.s, [{ kind: "frame", frame: q.cnf, tMs: q.t + 2 }]);
  const t = timerOf(a.fx, "setkey")!;
  assert.equal(t.atMs, q.t + 2 + SET_KEY_TIMEOUT_MS);
  const b = feed(a.s, [{ kind: "timer", id: t.id, tMs: t.atMs }]);
  assert.equal(b.s.failure, "set-key-timeout");
});

test("ev: bad options are SlacConfigError naming the field and the rule", () => {
  assert.throws(
    () => fresh({ batchIntervalMs: 60 }),
    (e: unknown) => {
      return e instanceof SlacConfigError && /ev\.batchIntervalMs = 60.*20\.\.50/.test(e.message);
    },
  );
  assert.throws(() => fresh({ validationToggles: 4 }), /ev\.validationToggles/);
  assert.throws(() => fresh({ modem: "plc" }), /ev\.modem/);
});
