/**
 * The verdict on ISO 15118-20 and ISO 15118-2 AC traces: the -20 performance times (PowerDeliveryRes 1.5 s,
 * not -2's 4.5 s; DC_ChargeLoopRes) under their own rule name, the 0.5 s charge-loop sequence timeout as a
 * named limit, the charge-loop response of each protocol and energy transfer in a normal session — and every
 * -20 and ISO-2 AC case of the catalogue fails on a trace of a SUT that does the wrong thing.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { caseEnergy } from "./case-ev.js";
import { CATALOGUE } from "./catalogue/index.js";
import { answered, at, seccCase } from "./catalogue/shape.js";
import { defaultLimits } from "./profile.js";
import type { CaseTrace, ConformanceCase, ConformanceProtocol, SutLimits, TraceEvent } from "./types.js";
import { judge, limitMs, performanceLimitMs } from "./verdict.js";

const limits: SutLimits = {
  ...defaultLimits(),
  sequenceTimeoutMs: 2000,
  chargeLoopTimeoutMs: 500,
  toleranceMs: 100,
};
const trace = (
  protocol: ConformanceProtocol,
  events: TraceEvent[],
  deviationAtMs: number | null = null,
): CaseTrace => ({
  protocol,
  events,
  deviationAtMs,
  durationMs: 1000,
});
const tx = (tMs: number, name: string, deviation = false): TraceEvent => ({
  kind: "tx",
  tMs,
  name,
  bytes: 20,
  ...(deviation && { deviation: true }),
});
const rx = (tMs: number, name: string, code: string, afterMs = 1): TraceEvent => ({
  kind: "rx",
  tMs,
  name,
  code,
  afterMs,
  body: { ResponseCode: code },
});
const setup = [
  tx(0, "supportedAppProtocolReq"),
  rx(1, "supportedAppProtocolRes", "OK_SuccessfulNegotiation"),
  tx(2, "SessionSetupReq"),
  rx(3, "SessionSetupRes", "OK_NewSessionEstablished"),
];

test("-20 performance times: PowerDeliveryRes 1.5 s (not -2's 4.5 s), DC_ChargeLoopRes 0.25 s; the -20 rule named", () => {
  assert.equal(performanceLimitMs("PowerDeliveryRes", limits, "iso20"), 1500);
  assert.equal(performanceLimitMs("PowerDeliveryRes", limits, "iso2"), 4500);
  assert.equal(performanceLimitMs("DC_ChargeLoopRes", limits, "iso20"), 250);
  assert.equal(performanceLimitMs("ServiceSelectionRes", limits, "iso20"), 1500);
  const pd = (p: ConformanceProtocol) =>
    seccCase(p, "normal", {
      id: "t-pd",
      title: "PowerDeliveryRes",
      requirement: ["R"],
      tester: { kind: "observe", at: at("PowerDeliveryReq") },
      expect: answered("PowerDeliveryRes", ["OK"]),
    });
  const slow = (p: ConformanceProtocol) =>
    trace(p, [...setup, tx(10, "PowerDeliveryReq", true), rx(2010, "PowerDeliveryRes", "OK", 2000)], 10);
  assert.deepEqual(judge(pd("iso2"), slow("iso2"), limits), { verdict: "pass" });
  const v = judge(pd("iso20"), slow("iso20"), limits);
  assert.equal(v.verdict, "fail");
  assert.ok(v.verdict === "fail" && v.rule === "ISO 15118-20 V2G_SECC_Msg_Performance_Time");
  assert.ok(v.verdict === "fail" && v.field === "responseTime" && v.expected.startsWith("≤ 1500 ms"));
});

test("the -20 charge-loop sequence timeout: 0.5 s by default, the profile's figure when given", () => {
  assert.equal(limitMs("iso20ChargeLoopSequenceTimeout", limits), 500);
  assert.equal(
    limitMs("iso20ChargeLoopSequenceTimeout", { ...limits, iso20ChargeLoopSequenceTimeoutMs: 800 }),
    800,
  );
  const c = CATALOGUE.find((x) => x.id === "secc-iso20-timing-003") as ConformanceCase;
  const loop = [...setup, tx(100, "DC_ChargeLoopReq"), rx(101, "DC_ChargeLoopRes", "OK")];
  const held: TraceEvent = { kind: "tx", tMs: 150, name: "(DC_ChargeLoopReq not sent)", bytes: 0 };
  const closedAt = (tMs: number) =>
    trace("iso20", [...loop, held, { kind: "close", tMs, by: "remote" }], 150);
  assert.deepEqual(judge(c, closedAt(560), limits), { verdict: "pass" });
  // a SECC that waits its general sequence timeout in the loop (as two public stacks do) fails
  const late = judge(c, closedAt(2101), limits);
  assert.ok(late.verdict === "fail" && late.field === "connection", JSON.stringify(late));
});

test("a normal session needs the charge loop of its protocol and energy transfer, and SessionStopRes", () => {
  const c = (p: ConformanceProtocol) =>
    seccCase(p, "normal", {
      id: "t",
      title: "t",
      requirement: ["R"],
      tester: { kind: "normal" },
      expect: { kind: "session-ok" },
    });
  const end = rx(900, "SessionStopRes", "OK");
  for (const [p, loop] of [
    ["iso20", "DC_ChargeLoopRes"],
    ["iso20", "AC_ChargeLoopRes"],
    ["iso2", "ChargingStatusRes"],
  ] as const)
    assert.deepEqual(
      judge(c(p), trace(p, [...setup, rx(500, loop, "OK"), end]), limits),
      { verdict: "pass" },
      loop,
    );
  const none = judge(c("iso20"), trace("iso20", [...setup, end]), limits);
  assert.ok(
    none.verdict === "fail" && none.message === "DC_ChargeLoopRes or AC_ChargeLoopRes",
    JSON.stringify(none),
  );
});

/** A trace of a SUT that does the wrong thing for case `c`. */
function wrongTrace(c: ConformanceCase): CaseTrace {
  const p = c.protocols[0] as ConformanceProtocol;
  const e = c.expect;
  if (c.tester.kind === "normal")
    return trace(p, [...setup, tx(10, "X"), rx(11, "ServiceDiscoveryRes", "FAILED")]);
  const dev = c.tester.at.message;
  switch (e.kind) {
    case "response": {
      // an error expected: the SUT says OK; OK expected: the SUT says FAILED
      const code = e.codes.some((x) => x.startsWith("FAILED")) ? "OK" : "FAILED";
      return trace(p, [...setup, tx(10, dev, true), rx(11, e.response, code)], 10);
    }
    case "closes":
      // the SUT answers the broken or held request and keeps the connection open
      return trace(p, [...setup, tx(10, dev, true), rx(11, dev.replace(/Req$/, "Res"), "OK")], 10);
    case "output-off":
      // current flows before the deviation and never stops
      return trace(
        p,
        [...setup, { kind: "inlet", tMs: 5, currentA: 100, voltageV: 700 }, tx(10, dev, true)],
        10,
      );
    default:
      throw new Error(`${c.id}: no wrong trace for ${e.kind}`);
  }
}

test("every ISO 15118-20 and ISO-2 AC case fails on a trace of a SUT that does the wrong thing", () => {
  const mine = CATALOGUE.filter(
    (c) =>
      c.sut === "secc" && !c.protocolNeutral && (c.protocols.includes("iso20") || caseEnergy(c) === "ac"),
  );
  assert.ok(mine.length >= 35, `${mine.length} cases`);
  for (const c of mine) {
    const v = judge(c, wrongTrace(c), limits);
    assert.equal(v.verdict, "fail", `${c.id}: ${JSON.stringify(v)}`);
  }
});

test("TLS credential refused: pass when the SECC closes or the handshake fails before any answer; fail when it answers", () => {
  const c = CATALOGUE.find((x) => x.id === "secc-iso20-transport-009") as ConformanceCase;
  const open: TraceEvent = { kind: "open", tMs: 100 };
  const closed = trace("iso20", [
    open,
    tx(101, "supportedAppProtocolReq"),
    { kind: "close", tMs: 105, by: "remote" },
  ]);
  assert.deepEqual(judge(c, { ...closed, setupError: "no supportedAppProtocolRes" }, limits), {
    verdict: "pass",
  });
  const noTls = {
    ...trace("iso20", []),
    setupError: "no V2G connection to the SECC (connect failed: TLS alert)",
  };
  assert.deepEqual(judge(c, noTls, limits), { verdict: "pass" });
  const accepted = judge(c, trace("iso20", [open, ...setup]), limits);
  assert.ok(accepted.verdict === "fail" && accepted.field === "tlsHandshake", JSON.stringify(accepted));
  const noCredential = { ...trace("iso20", []), setupError: "tester: no untrusted-vehicle TLS credential" };
  assert.equal(judge(c, noCredential, limits).verdict, "inconclusive");
});
