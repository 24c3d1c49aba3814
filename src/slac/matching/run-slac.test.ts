import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { nidFromNmk } from "../keys.js";
import {
  C_EV_MATCH_MNBC,
  C_EV_MATCH_RETRY,
  C_EV_START_ATTEN_CHAR_INDS,
  evSlacBoundMs,
  SET_KEY_TIMEOUT_MS,
  TT_EV_ATTEN_RESULTS_MS,
  TT_MATCH_JOIN_MS,
  TT_MATCH_RESPONSE_MS,
} from "./constants.js";
import { seededPrng } from "./prng.js";
import { type RunSlacOptions, type RunSlacResult, runSlac, type SlacOutcome } from "./run-slac.js";
import type { SlacFailReason } from "./types.js";

const mac = (n: number) => Uint8Array.from([0x02, 0x00, 0x5e, 0x10, 0x00, n]);
const EVSE = mac(1);
const EV1 = mac(2);
const EV2 = mac(3);
const rnd = (seed: number) => seededPrng(seed).bytes;

function scenario(over: Partial<RunSlacOptions> = {}): RunSlacOptions {
  return {
    seed: 7,
    evses: [{ name: "evse", config: { mac: EVSE, random: rnd(101) } }],
    evs: [{ name: "ev", config: { mac: EV1, random: rnd(202) }, plugInto: "evse" }],
    links: [{ a: "evse", b: "ev", link: { attenuationDb: 20 } }],
    ...over,
  };
}

const kinds = (r: RunSlacResult, name: string) => r.stations[name]!.sent.map((s) => s.kind);
function outcome(r: RunSlacResult, name: string): SlacOutcome {
  const o = r.stations[name]!.outcome;
  assert.ok(o, `${name} has no outcome; logs:\n${r.stations[name]!.logs.join("\n")}`);
  return o;
}
function matched(r: RunSlacResult, name: string) {
  const o = outcome(r, name);
  assert.equal(o.kind, "matched", `${name}: ${JSON.stringify(o)}\n${r.stations[name]!.logs.join("\n")}`);
  return o as Extract<SlacOutcome, { kind: "matched" }>;
}
function failed(r: RunSlacResult, name: string) {
  const o = outcome(r, name);
  assert.equal(o.kind, "failed", `${name}: expected failure, got ${o.kind}`);
  return o as Extract<SlacOutcome, { kind: "failed" }>;
}

const EV_SEQUENCE = [
  "CM_SLAC_PARM.REQ",
  ...Array(C_EV_START_ATTEN_CHAR_INDS).fill("CM_START_ATTEN_CHAR.IND"),
  ...Array(C_EV_MATCH_MNBC).fill("CM_MNBC_SOUND.IND"),
  "CM_ATTEN_CHAR.RSP",
  "CM_SLAC_MATCH.REQ",
];
const EVSE_SEQUENCE = ["CM_SLAC_PARM.CNF", "CM_ATTEN_CHAR.IND", "CM_SLAC_MATCH.CNF"];

test("runSlac: full match EV↔EVSE (modem none): MMTYPE sequence, same NMK/NID, time to match", () => {
  const r = runSlac(scenario());
  assert.equal(r.exhausted, false);
  assert.deepEqual(kinds(r, "ev"), EV_SEQUENCE);
  assert.deepEqual(kinds(r, "evse"), EVSE_SEQUENCE);
  const ev = matched(r, "ev");
  const evse = matched(r, "evse");
  assert.deepEqual(ev.nmk, evse.nmk);
  assert.deepEqual(ev.nid, evse.nid);
  assert.deepEqual(ev.nid, nidFromNmk(ev.nmk));
  assert.deepEqual(ev.peerMac, EVSE);
  assert.deepEqual(evse.peerMac, EV1);
  // The EV decides when TT_EV_atten_results (started at its first START_ATTEN_CHAR) expires, then one
  // MATCH round trip: virtual time to match lies in [TT_EV_atten_results, + two response windows].
  assert.ok(ev.atMs >= TT_EV_ATTEN_RESULTS_MS, `matched at ${ev.atMs}`);
  assert.ok(ev.atMs <= TT_EV_ATTEN_RESULTS_MS + 2 * TT_MATCH_RESPONSE_MS, `matched at ${ev.atMs}`);
  // The EVSE averaged all sounds, and the profile it reported has the link's mean attenuation.
  const ind = r.stations.evse!.sent.find((s) => s.kind === "CM_ATTEN_CHAR.IND")!.frame.mme;
  assert.ok(ind.kind === "CM_ATTEN_CHAR.IND");
  assert.equal(ind.numSounds, C_EV_MATCH_MNBC);
  const mean = ind.aag.reduce((a, b) => a + b, 0) / ind.aag.length;
  assert.ok(Math.abs(mean - 20) < 1, `mean ${mean}`);
  // Wire sizes follow the captures (ATTEN_CHAR.RSP: 14 + 5 + 51 bytes).
  assert.equal(r.stations.ev!.sent.find((s) => s.kind === "CM_ATTEN_CHAR.RSP")!.bytes, 70);
});

test("runSlac: modem qca — SET_KEY.CNF, ATTEN_PROFILE.IND from the modem, matched on link up", () => {
  const r = runSlac(
    scenario({
      evses: [{ name: "evse", config: { mac: EVSE, random: rnd(101), modem: "qca" } }],
      evs: [{ name: "ev", config: { mac: EV1, random: rnd(202), modem: "qca" }, plugInto: "evse" }],
      joinDelayMs: 250,
    }),
  );
  const ev = matched(r, "ev");
  const evse = matched(r, "evse");
  assert.deepEqual(ev.nmk, evse.nmk);
  assert.equal(ev.atMs, evse.atMs, "both learn the link state from their modems at once");
  const ind = r.stations.evse!.sent.find((s) => s.kind === "CM_ATTEN_CHAR.IND")!.frame.mme;
  assert.ok(ind.kind === "CM_ATTEN_CHAR.IND" && ind.numSounds === C_EV_MATCH_MNBC);
  assert.ok(ev.atMs <= evSlacBoundMs({ validation: false, modem: "qca" }));
});

test("runSlac: modem qca on the EV but no modem peer → join-timeout after TT_match_join", () => {
  const r = runSlac(
    scenario({ evs: [{ name: "ev", config: { mac: EV1, random: rnd(2), modem: "qca" }, plugInto: "evse" }] }),
  );
  const f = failed(r, "ev");
  assert.equal(f.reason, "join-timeout");
  const matchReq = r.stations.ev!.sent.filter((s) => s.kind === "CM_SLAC_MATCH.REQ").at(-1)!.atMs;
  assert.ok(
    f.atMs - matchReq >= TT_MATCH_JOIN_MS && f.atMs - matchReq <= TT_MATCH_JOIN_MS + SET_KEY_TIMEOUT_MS,
  );
});

test("runSlac: Tesla order — EV starts at plug-in, 5 % comes 300 ms later: matched, no E/F", () => {
  const r = runSlac(
    scenario({
      evses: [
        {
          name: "evse",
          config: { mac: EVSE, random: rnd(1) },
          cp: [
            { atMs: 0, state: "B", duty: 100 },
            { atMs: 300, state: "B", duty: 5 },
          ],
        },
      ],
      evs: [{ name: "ev", config: { mac: EV1, random: rnd(2) }, plugInto: "evse", startAtMs: 0 }],
    }),
  );
  matched(r, "ev");
  matched(r, "evse");
  assert.deepEqual(r.stations.evse!.cpActions, []);
  assert.equal(kinds(r, "ev").filter((k) => k === "CM_SLAC_PARM.REQ").length, 1);
});

test("runSlac: Tesla order — PARM.REQ before the EVSE sees B is answered at plug-in within the window", () => {
  const run = (plugAt: number) =>
    runSlac(
      scenario({
        evses: [
          {
            name: "evse",
            config: { mac: EVSE, random: rnd(1) },
            cp: [
              { atMs: plugAt, state: "B", duty: 100 },
              { atMs: plugAt + 200, state: "B", duty: 5 },
            ],
          },
        ],
        evs: [{ name: "ev", config: { mac: EV1, random: rnd(2) }, plugInto: "evse", startAtMs: 0 }],
      }),
    );
  const soon = run(50); // request (arrived at 1 ms) is 49 ms old: answered at 50 ms
  matched(soon, "ev");
  assert.equal(kinds(soon, "ev").filter((k) => k === "CM_SLAC_PARM.REQ").length, 1);
  assert.equal(soon.stations.evse!.sent[0]!.atMs, 50);
  const late = run(250); // first request is 249 ms old (stale, dropped); the retry at 200 ms is answered
  matched(late, "ev");
  assert.equal(kinds(late, "ev").filter((k) => k === "CM_SLAC_PARM.REQ").length, 2);
  assert.equal(kinds(late, "evse").filter((k) => k === "CM_SLAC_PARM.CNF").length, 1);
});

test("runSlac: 100 % loss — EV sends 1 + C_EV_match_retry PARM.REQ and fails no-slac-parm-cnf in time", () => {
  const r = runSlac(scenario({ links: [{ a: "evse", b: "ev", link: { attenuationDb: 20, loss: 1 } }] }));
  const f = failed(r, "ev");
  assert.equal(f.reason, "no-slac-parm-cnf");
  assert.deepEqual(kinds(r, "ev"), Array(1 + C_EV_MATCH_RETRY).fill("CM_SLAC_PARM.REQ"));
  assert.equal(f.atMs, (1 + C_EV_MATCH_RETRY) * TT_MATCH_RESPONSE_MS);
  assert.ok(f.atMs <= evSlacBoundMs({ validation: false, modem: "none" }));
  // The EVSE never heard a request: it runs its E/F retries and gives up too.
  assert.equal(failed(r, "evse").reason, "no-slac-parm-req");
});

test("runSlac: EVSE audible but above the EV threshold → new attempts with fresh RunIDs, then attenuation-too-high", () => {
  const r = runSlac(scenario({ links: [{ a: "evse", b: "ev", link: { attenuationDb: 70 } }] }));
  const f = failed(r, "ev");
  assert.equal(f.reason, "attenuation-too-high");
  assert.equal(kinds(r, "ev").filter((k) => k === "CM_SLAC_PARM.REQ").length, 1 + C_EV_MATCH_RETRY);
  const runIds = new Set(
    r.stations.ev!.sent.filter((s) => s.kind === "CM_SLAC_PARM.REQ").map((s) => JSON.stringify(s.frame.mme)),
  );
  assert.equal(runIds.size, 1 + C_EV_MATCH_RETRY, "each attempt uses a fresh RunID");
  assert.ok(f.atMs <= evSlacBoundMs({ validation: false, modem: "none" }));
});

function twoEvs(ev2Db: number, ev2StartMs: number, ev1StartMs = 0): RunSlacResult {
  return runSlac({
    seed: 11,
    evses: [{ name: "evse", config: { mac: EVSE, random: rnd(1) } }],
    evs: [
      { name: "ev1", config: { mac: EV1, random: rnd(2) }, plugInto: "evse", startAtMs: ev1StartMs },
      { name: "ev2", config: { mac: EV2, random: rnd(3) }, startAtMs: ev2StartMs },
    ],
    links: [
      { a: "evse", b: "ev1", link: { attenuationDb: 18 } },
      { a: "evse", b: "ev2", link: { attenuationDb: ev2Db } },
    ],
  });
}

test("runSlac: a second EV with weaker coupling (within threshold) does not steal the match", () => {
  for (const [ev2Start, ev1Start] of [
    [30, 0],
    [0, 100],
  ] as const) {
    const r = twoEvs(32, ev2Start, ev1Start);
    const m1 = matched(r, "ev1");
    const me = matched(r, "evse");
    assert.deepEqual(me.peerMac, EV1);
    assert.deepEqual(m1.nmk, me.nmk);
    const f2 = failed(r, "ev2");
    assert.equal(f2.reason, "no-slac-match-cnf");
    assert.equal(kinds(r, "evse").filter((k) => k === "CM_SLAC_MATCH.CNF").length, 1);
  }
});

test("runSlac: a second EV beyond C_EV_match_signalattn_direct gives up by itself", () => {
  const r = twoEvs(60, 20);
  assert.deepEqual(matched(r, "evse").peerMac, EV1);
  failed(r, "ev2"); // later attempts find the EVSE matched: it no longer answers CM_SLAC_PARM.REQ
  assert.ok(r.stations.ev2!.logs.some((l) => l.includes("attenuation-too-high")));
  assert.ok(!kinds(r, "ev2").includes("CM_SLAC_MATCH.REQ"));
});

test("runSlac: one EV hearing two EVSEs picks the lower attenuation", () => {
  const r = runSlac({
    seed: 5,
    evses: [
      { name: "near", config: { mac: EVSE, random: rnd(1) } },
      { name: "far", config: { mac: mac(9), random: rnd(9), slacInitMs: 20_000 } },
    ],
    evs: [{ name: "ev", config: { mac: EV1, random: rnd(2) }, plugInto: "near" }],
    links: [
      { a: "near", b: "ev", link: { attenuationDb: 25 } },
      { a: "far", b: "ev", link: { attenuationDb: 35 } },
    ],
  });
  assert.deepEqual(matched(r, "ev").peerMac, EVSE);
  matched(r, "near");
  assert.ok(kinds(r, "far").includes("CM_ATTEN_CHAR.IND"), "the far EVSE took part in sounding");
  assert.equal(failed(r, "far").reason, "no-slac-parm-req");
});

test("runSlac: validation by BCB toggles — the plugged EV wins over a crosstalk EV with stronger coupling", () => {
  const r = runSlac({
    seed: 3,
    evses: [{ name: "evse", config: { mac: EVSE, random: rnd(1), validation: true } }],
    evs: [
      { name: "ev1", config: { mac: EV1, random: rnd(2), validation: true }, plugInto: "evse", startAtMs: 0 },
      { name: "ev2", config: { mac: EV2, random: rnd(3), validation: true }, startAtMs: 0 },
    ],
    links: [
      { a: "evse", b: "ev1", link: { attenuationDb: 24 } },
      { a: "evse", b: "ev2", link: { attenuationDb: 18 } },
    ],
  });
  const m1 = matched(r, "ev1");
  assert.deepEqual(matched(r, "evse").peerMac, EV1);
  assert.ok(m1.atMs <= evSlacBoundMs({ validation: true, modem: "none" }));
  const v1 = kinds(r, "ev1").filter((k) => k.startsWith("CM_VALIDATE") || k.startsWith("CM_SLAC_MATCH"));
  assert.equal(v1.at(-1), "CM_SLAC_MATCH.REQ");
  assert.equal(v1.filter((k) => k === "CM_VALIDATE.REQ").length >= 2, true);
  assert.ok(!kinds(r, "ev2").includes("CM_SLAC_MATCH.REQ"), "the crosstalk EV never got to CM_SLAC_MATCH");
  const f2 = failed(r, "ev2");
  assert.ok(["validation-failed", "no-validate-cnf"].includes(f2.reason), f2.reason);
  assert.ok(f2.atMs <= evSlacBoundMs({ validation: true, modem: "none" }));
});

test("runSlac: EVSE without validation answers 'not required' and the EV goes on to match", () => {
  const r = runSlac(
    scenario({
      evs: [{ name: "ev", config: { mac: EV1, random: rnd(2), validation: true }, plugInto: "evse" }],
    }),
  );
  matched(r, "ev");
  const cnf = r.stations.evse!.sent.find((s) => s.kind === "CM_VALIDATE.CNF")!.frame.mme;
  assert.ok(cnf.kind === "CM_VALIDATE.CNF" && cnf.result === 4);
});

const NAMED: readonly SlacFailReason[] = [
  "no-slac-parm-cnf",
  "no-atten-char-ind",
  "attenuation-too-high",
  "no-slac-match-cnf",
];

test("runSlac: random loss 0–30 % (property) — matched within the bound or failed with a named reason", () => {
  const bound = evSlacBoundMs({ validation: false, modem: "none" });
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      fc.double({ min: 0, max: 0.3, noNaN: true }),
      (seed, loss) => {
        const r = runSlac(
          scenario({
            seed,
            evses: [{ name: "evse", config: { mac: EVSE, random: rnd(seed ^ 1) } }],
            evs: [{ name: "ev", config: { mac: EV1, random: rnd(seed ^ 2) }, plugInto: "evse" }],
            links: [{ a: "evse", b: "ev", link: { attenuationDb: 20, loss } }],
            maxEvents: 5000,
          }),
        );
        assert.equal(r.exhausted, false, "every station reached an outcome");
        assert.ok(r.events < 5000);
        const ev = outcome(r, "ev");
        assert.ok(ev.atMs <= bound, `EV outcome at ${ev.atMs} > ${bound}`);
        if (ev.kind === "failed") assert.ok(NAMED.includes(ev.reason), ev.reason);
        const evse = outcome(r, "evse");
        if (ev.kind === "matched" && evse.kind === "matched") assert.deepEqual(ev.nmk, evse.nmk);
        if (ev.kind === "matched")
          assert.equal(evse.kind, "matched", "an EV match implies the EVSE sent CNF");
      },
    ),
    { numRuns: 60 },
  );
});
