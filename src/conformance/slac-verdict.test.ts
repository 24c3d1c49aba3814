/**
 * The SLAC cases end to end without a network: our EV SLAC machine behind the tester's SLAC frame
 * interceptor, against our EVSE SLAC machine, over an in-memory port pair on a virtual clock. Every SLAC
 * case of the catalogue passes against the EVSE as it is; an EVSE with a defect (its frames rewritten on its
 * port) fails the case that checks it, naming the field. Then the SDP verdict on hand-made traces.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createVirtualClock } from "../machine/index.js";
import { decodeSlacFrame, encodeSlacFrame, type SlacFrame } from "../slac/index.js";
import { hex } from "../slac/matching/messages.js";
import { seededPrng } from "../slac/matching/prng.js";
import type { FramePort } from "../slac/run/index.js";
import { createPortPair } from "../slac/run/port-pair.js";
import { startEvSlac, startEvseSlac } from "../slac/run/start.js";
import { SDP_SECURITY_NONE, SDP_SECURITY_TLS, SDP_TRANSPORT_TCP } from "../v2g/index.js";
import { SDP_CASES } from "./catalogue/sdp.js";
import { SLAC_CASES } from "./catalogue/slac.js";
import { defaultLimits } from "./profile.js";
import { createSlacInterceptor } from "./slac-interceptor.js";
import type { CaseTrace, ConformanceCase, TraceEvent, Verdict } from "./types.js";
import { judge } from "./verdict.js";

const EV_MAC = Uint8Array.from([0x02, 0, 0, 0, 0, 0x0e]);
const EVSE_MAC = Uint8Array.from([0x02, 0, 0, 0, 0, 0x05]);

/** The EVSE's frame port with its outgoing (`out`) and incoming (`in`) frames rewritten: a defect. */
function defective(
  port: FramePort,
  d: { out?: (f: SlacFrame) => SlacFrame; in?: (f: SlacFrame) => SlacFrame },
): FramePort {
  const map = (bytes: Uint8Array, fn?: (f: SlacFrame) => SlacFrame) =>
    fn ? encodeSlacFrame(fn(decodeSlacFrame(bytes))) : bytes;
  return {
    mac: port.mac,
    send: (b) => port.send(map(b, d.out)),
    onFrame: (h) => port.onFrame((b) => h(map(b, d.in))),
  };
}

/** Run case `c`'s SLAC against our EVSE SLAC machine (with `defect`), the trace as the runner builds it. */
function runSlacCase(c: ConformanceCase, defect: Parameters<typeof defective>[1] = {}): CaseTrace {
  const timers = createVirtualClock();
  const p = createPortPair({ macA: EV_MAC, macB: EVSE_MAC, latencyMs: 1, timers });
  const events: TraceEvent[] = [];
  let testerError: string | undefined;
  const icpt = createSlacInterceptor({
    port: p.a,
    behaviour: c.slac ?? { kind: "observe" },
    now: () => timers.now(),
    record: (e) => events.push(e),
    onTesterError: (m) => {
      testerError = m;
    },
  });
  const evse = startEvseSlac({
    port: defective(p.b, defect),
    timers,
    emulateCp: true,
    config: { random: seededPrng(2).bytes },
  });
  const ev = startEvSlac({ port: icpt, timers, config: { random: seededPrng(1).bytes } });
  const over = () => ev.state().phase === "matched" || ev.state().phase === "failed";
  while (!over()) {
    const t = timers.peekTime();
    if (t === undefined || t > 60_000) break;
    timers.runNext();
  }
  // a little more, so that frames after the EV's outcome (the EVSE's last ones) are in
  const end = timers.now() + 50;
  for (let t = timers.peekTime(); t !== undefined && t <= end; t = timers.peekTime()) timers.runNext();
  // the V2G session after a match (the runner sees supportedAppProtocolRes on the wire)
  if (ev.state().phase === "matched")
    events.push({ kind: "rx", tMs: timers.now(), name: "supportedAppProtocolRes", afterMs: 1 });
  ev.stop();
  evse.stop();
  return {
    protocol: "din",
    events,
    deviationAtMs: icpt.deviationAtMs,
    durationMs: Math.round(timers.now()),
    ...(testerError !== undefined && { setupError: testerError }),
    slac: {
      testerMac: hex(EV_MAC),
      ...(c.slac?.kind === "second-ev" && { secondEvMac: c.slac.mac }),
    },
  };
}

const caseOf = (id: string) => {
  const c = SLAC_CASES.find((x) => x.id === id);
  assert.ok(c, id);
  return c;
};
const failField = (v: Verdict) => (v.verdict === "fail" ? v.field : `(${v.verdict})`);

test("SLAC cases against our EVSE SLAC machine (port pair, virtual clock): every one passes", () => {
  for (const c of SLAC_CASES) {
    const t = runSlacCase(c);
    const v = judge(c, t, defaultLimits());
    assert.deepEqual(v, { verdict: "pass" }, `${c.id}: ${JSON.stringify(v)}`);
    if (c.slac?.kind !== "observe") assert.notEqual(t.deviationAtMs, null, `${c.id}: deviation applied`);
  }
});

test("SLAC: a defective EVSE fails the case that checks it, naming the field", () => {
  const cnf = (f: SlacFrame, set: Record<string, unknown>): SlacFrame =>
    f.mme.kind === "CM_SLAC_PARM.CNF" ? { ...f, mme: { ...f.mme, ...set } as SlacFrame["mme"] } : f;
  // CM_SLAC_PARM.CNF with 9 sounds and another TimeOut
  assert.equal(
    failField(
      judge(
        caseOf("secc-slac-003"),
        runSlacCase(caseOf("secc-slac-003"), { out: (f) => cnf(f, { numSounds: 9 }) }),
        defaultLimits(),
      ),
    ),
    "numSounds",
  );
  // M-SOUND_TARGET not broadcast
  assert.equal(
    failField(
      judge(
        caseOf("secc-slac-002"),
        runSlacCase(caseOf("secc-slac-002"), {
          out: (f) => cnf(f, { msoundTarget: Uint8Array.from(EV_MAC) }),
        }),
        defaultLimits(),
      ),
    ),
    "msoundTarget",
  );
  // RESP_TYPE 0
  assert.equal(
    failField(
      judge(
        caseOf("secc-slac-004"),
        runSlacCase(caseOf("secc-slac-004"), { out: (f) => cnf(f, { respType: 0 }) }),
        defaultLimits(),
      ),
    ),
    "respType",
  );
  // ForwardingSTA not the EV's MAC
  assert.equal(
    failField(
      judge(
        caseOf("secc-slac-001"),
        runSlacCase(caseOf("secc-slac-001"), {
          out: (f) => cnf(f, { forwardingSta: Uint8Array.from(EVSE_MAC) }),
        }),
        defaultLimits(),
      ),
    ),
    "forwardingSta",
  );
  // CM_ATTEN_CHAR.IND with 57 groups
  const groups = (f: SlacFrame): SlacFrame =>
    f.mme.kind === "CM_ATTEN_CHAR.IND"
      ? { ...f, mme: { ...f.mme, numGroups: 57, aag: f.mme.aag.subarray(0, 57) } }
      : f;
  assert.equal(
    failField(
      judge(caseOf("secc-slac-007"), runSlacCase(caseOf("secc-slac-007"), { out: groups }), defaultLimits()),
    ),
    "numGroups",
  );
  // CM_SLAC_MATCH.CNF whose NID is not the one of its NMK
  const nid = (f: SlacFrame): SlacFrame =>
    f.mme.kind === "CM_SLAC_MATCH.CNF" ? { ...f, mme: { ...f.mme, nid: new Uint8Array(7).fill(1) } } : f;
  assert.equal(
    failField(
      judge(caseOf("secc-slac-008"), runSlacCase(caseOf("secc-slac-008"), { out: nid }), defaultLimits()),
    ),
    "nid",
  );
  // an EVSE that does not check the RunID of CM_SLAC_MATCH.REQ (it reads the session's RunID instead)
  let runId: Uint8Array | null = null;
  const noRunIdCheck = (f: SlacFrame): SlacFrame => {
    if (f.mme.kind === "CM_SLAC_PARM.REQ") runId = f.mme.runId;
    if (f.mme.kind === "CM_SLAC_MATCH.REQ" && runId) return { ...f, mme: { ...f.mme, runId } };
    return f;
  };
  const v011 = judge(
    caseOf("secc-slac-011"),
    runSlacCase(caseOf("secc-slac-011"), { in: noRunIdCheck }),
    defaultLimits(),
  );
  assert.equal(failField(v011), "message");
  assert.match(v011.verdict === "fail" ? v011.expected : "", /no CM_SLAC_MATCH\.CNF/);
  // an EVSE that never answers: every check needing an answer fails, the case is not inconclusive
  const mute = (f: SlacFrame): SlacFrame => ({ ...f, dst: Uint8Array.of(0x02, 9, 9, 9, 9, 9) });
  assert.equal(
    failField(
      judge(caseOf("secc-slac-005"), runSlacCase(caseOf("secc-slac-005"), { out: mute }), defaultLimits()),
    ),
    "message",
  );
  // a late CM_SLAC_PARM.CNF (the EVSE's port delays it past TT_match_response)
});

test("SLAC: the second EV's CM_SLAC_PARM.REQ goes on the wire from its own MAC; the EVSE answers it with its RunID", () => {
  const c = caseOf("secc-slac-012");
  const t = runSlacCase(c);
  const second = t.events.filter((e) => e.kind === "slac" && e.dir === "tx" && e.note === "a second EV");
  assert.equal(second.length, 1);
  const cnf = t.events.find(
    (e) =>
      e.kind === "slac" && e.dir === "rx" && e.name === "CM_SLAC_PARM.CNF" && e.dst === t.slac?.secondEvMac,
  );
  assert.ok(cnf, "the EVSE answered the second EV");
});

test("SLAC: no SLAC frame from the tester (no SLAC on the interface) is inconclusive, not a fail", () => {
  const c = caseOf("secc-slac-001");
  const v = judge(
    c,
    {
      protocol: "din",
      events: [],
      deviationAtMs: null,
      durationMs: 0,
      setupError: "a SLAC case needs SLAC on the interface (run without --no-slac)",
    },
    defaultLimits(),
  );
  assert.equal(v.verdict, "inconclusive");
});

test("SDP verdict: answered with what the SECC offers / silent as each case expects; a wrong Security, an answer to a malformed request, or no answer fails", () => {
  const sdpCase = (id: string) => {
    const c = SDP_CASES.find((x) => x.id === id);
    assert.ok(c, id);
    return c;
  };
  const trace = (rx: { probe: number; security?: number }[], probes: number, tls = false): CaseTrace => ({
    protocol: "din",
    durationMs: 0,
    deviationAtMs: null,
    sdp: { security: tls ? SDP_SECURITY_TLS : SDP_SECURITY_NONE, transport: SDP_TRANSPORT_TCP },
    events: [
      ...Array.from(
        { length: probes },
        (_, i): TraceEvent => ({ kind: "sdp", tMs: i * 400, dir: "tx", probe: i, bytes: "" }),
      ),
      ...rx.map(
        (r): TraceEvent => ({
          kind: "sdp",
          tMs: r.probe * 400 + 5,
          dir: "rx",
          probe: r.probe,
          bytes: "",
          security: r.security ?? SDP_SECURITY_NONE,
          transport: SDP_TRANSPORT_TCP,
        }),
      ),
    ],
  });
  const L = defaultLimits();
  // repeated requests: each answered
  assert.equal(
    judge(sdpCase("secc-sdp-001"), trace([{ probe: 0 }, { probe: 1 }, { probe: 2 }], 3), L).verdict,
    "pass",
  );
  assert.equal(
    failField(judge(sdpCase("secc-sdp-001"), trace([{ probe: 0 }, { probe: 1 }], 3), L)),
    "message",
  );
  // TLS asked of a TCP-only SECC: silence or its own security; TLS in the answer fails
  assert.equal(judge(sdpCase("secc-sdp-002"), trace([{ probe: 1 }], 2), L).verdict, "pass");
  assert.equal(
    failField(
      judge(sdpCase("secc-sdp-002"), trace([{ probe: 0, security: SDP_SECURITY_TLS }, { probe: 1 }], 2), L),
    ),
    "Security",
  );
  // a TLS SECC answers a request without security with TLS
  assert.equal(
    judge(sdpCase("secc-sdp-003"), trace([{ probe: 0, security: SDP_SECURITY_TLS }], 1, true), L).verdict,
    "pass",
  );
  // a malformed request answered fails; the good one after it must be answered
  assert.equal(judge(sdpCase("secc-sdp-005"), trace([{ probe: 1 }], 2), L).verdict, "pass");
  assert.equal(
    failField(judge(sdpCase("secc-sdp-005"), trace([{ probe: 0 }, { probe: 1 }], 2), L)),
    "message",
  );
  assert.equal(failField(judge(sdpCase("secc-sdp-006"), trace([], 2), L)), "message");
  // no probe sent: inconclusive
  assert.equal(judge(sdpCase("secc-sdp-007"), trace([], 0), L).verdict, "inconclusive");
});
