/** The verdict of a case from its trace: pass, fail (rule, message, field, expected, seen), inconclusive. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { at, failedThenClose, seccCase } from "./catalogue/shape.js";
import { defaultLimits } from "./profile.js";
import type { CaseTrace, ConformanceCase, SutLimits, TraceEvent } from "./types.js";
import { judge } from "./verdict.js";

const limits: SutLimits = {
  ...defaultLimits(),
  sequenceTimeoutMs: 2000,
  chargeLoopTimeoutMs: 500,
  toleranceMs: 100,
};
const trace = (events: TraceEvent[], deviationAtMs: number | null = null): CaseTrace => ({
  protocol: "iso2",
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
const rx = (
  tMs: number,
  name: string,
  code: string,
  afterMs = 1,
  body: Record<string, unknown> = {},
): TraceEvent => ({
  kind: "rx",
  tMs,
  name,
  code,
  afterMs,
  body: { ResponseCode: code, ...body },
});
const unknownSession: ConformanceCase = seccCase("iso2", "sequence", {
  id: "t-unknown",
  title: "unknown SessionID",
  requirement: ["R-1"],
  tester: { kind: "session-id", at: at("ServiceDiscoveryReq"), sessionIdHex: "01" },
  expect: failedThenClose("ServiceDiscoveryRes", ["FAILED_UnknownSession"]),
});
const setup = [
  tx(0, "supportedAppProtocolReq"),
  rx(1, "supportedAppProtocolRes", "OK_SuccessfulNegotiation"),
  tx(2, "SessionSetupReq"),
  rx(3, "SessionSetupRes", "OK_NewSessionEstablished"),
];

test("a FAILED response to the deviated request, then the SECC closes: pass", () => {
  const t = trace(
    [
      ...setup,
      tx(10, "ServiceDiscoveryReq", true),
      rx(11, "ServiceDiscoveryRes", "FAILED_UnknownSession"),
      { kind: "close", tMs: 12, by: "remote" },
    ],
    10,
  );
  assert.deepEqual(judge(unknownSession, t, limits), { verdict: "pass" });
});

test("the wrong ResponseCode: fail naming the rule, the message, the field, expected and seen", () => {
  const t = trace(
    [
      ...setup,
      tx(10, "ServiceDiscoveryReq", true),
      rx(11, "ServiceDiscoveryRes", "OK"),
      { kind: "close", tMs: 12, by: "remote" },
    ],
    10,
  );
  assert.deepEqual(judge(unknownSession, t, limits), {
    verdict: "fail",
    rule: "R-1",
    message: "ServiceDiscoveryRes",
    field: "ResponseCode",
    expected: "FAILED_UnknownSession",
    seen: "OK",
  });
});

test("the SECC keeps the connection open after FAILED: fail on the connection", () => {
  const t = trace(
    [...setup, tx(10, "ServiceDiscoveryReq", true), rx(11, "ServiceDiscoveryRes", "FAILED_UnknownSession")],
    10,
  );
  const v = judge(unknownSession, t, limits);
  assert.equal(v.verdict, "fail");
  assert.equal(v.verdict === "fail" && v.field, "connection");
});

test("a response slower than its performance time: fail on responseTime", () => {
  const t = trace(
    [
      ...setup,
      tx(10, "ServiceDiscoveryReq", true),
      rx(3000, "ServiceDiscoveryRes", "FAILED_UnknownSession", 2990),
      { kind: "close", tMs: 3001, by: "remote" },
    ],
    10,
  );
  const v = judge(unknownSession, t, limits);
  assert.equal(v.verdict === "fail" && v.field, "responseTime");
  assert.equal(v.verdict === "fail" && v.rule, "ISO 15118-2 V2G_SECC_Msg_Performance_Time");
});

test("the trigger never came: inconclusive; a setup error: inconclusive with its reason", () => {
  assert.equal(judge(unknownSession, trace(setup, null), limits).verdict, "inconclusive");
  assert.deepEqual(judge(unknownSession, { ...trace([]), setupError: "no SDP answer" }, limits), {
    verdict: "inconclusive",
    why: "no SDP answer",
  });
});

test("the n-th response answers the n-th request: a repeated request is judged on the copy's response", () => {
  const repeat = seccCase("iso2", "sequence", {
    ...unknownSession,
    id: "t-rep",
    tester: { kind: "repeat", at: at("ServiceDiscoveryReq") },
    expect: failedThenClose("ServiceDiscoveryRes", ["FAILED_SequenceError"]),
  });
  const t = trace(
    [
      ...setup,
      tx(10, "ServiceDiscoveryReq"),
      tx(10, "ServiceDiscoveryReq", true),
      rx(11, "ServiceDiscoveryRes", "OK"),
      rx(12, "ServiceDiscoveryRes", "FAILED_SequenceError"),
      { kind: "close", tMs: 13, by: "remote" },
    ],
    10,
  );
  assert.deepEqual(judge(repeat, t, limits), { verdict: "pass" });
});

const silent = seccCase("iso2", "timing", {
  id: "t-silent",
  title: "silent",
  requirement: ["V2G_SECC_Sequence_Timeout"],
  tester: { kind: "silent", at: at("CableCheckReq") },
  expect: { kind: "closes", withinMs: "sequenceTimeout", notBeforeMs: "sequenceTimeout" },
});

test("silence: the SECC closes at its sequence timeout after its last response — pass; early or late — fail", () => {
  const base = [...setup, rx(100, "ChargeParameterDiscoveryRes", "OK")];
  const closeAt = (ms: number) => trace([...base, { kind: "close", tMs: ms, by: "remote" }], 150);
  assert.deepEqual(judge(silent, closeAt(2100), limits), { verdict: "pass" });
  const late = judge(silent, closeAt(2300), limits);
  assert.equal(late.verdict === "fail" && late.expected, "closed by the SECC within 2000 ms");
  const early = judge(silent, closeAt(600), limits);
  assert.equal(early.verdict === "fail" && early.expected, "not closed before 2000 ms");
  const never = judge(silent, trace(base, 150), limits);
  assert.equal(never.verdict === "fail" && never.seen, "connection still open at the end of the case");
});

test("output off: the inlet current falls below 1 A within the limit — pass; no current before — inconclusive", () => {
  const c = seccCase("iso2", "timing", {
    ...silent,
    id: "t-off",
    expect: { kind: "output-off", withinMs: "chargeLoopTimeout" },
  });
  const on: TraceEvent = { kind: "inlet", tMs: 50, currentA: 80, voltageV: 700 };
  const off = (ms: number): TraceEvent => ({ kind: "inlet", tMs: ms, currentA: 0.2, voltageV: 690 });
  assert.deepEqual(judge(c, trace([on, off(600)], 100), limits), { verdict: "pass" });
  const slow = judge(c, trace([on, off(900)], 100), limits);
  assert.equal(slow.verdict === "fail" && slow.field, "inletCurrent");
  assert.equal(judge(c, trace([], 100), limits).verdict, "inconclusive");
});

test("a normal session: pass with every response OK through SessionStopRes; a FAILED or a missing SessionStopRes fails", () => {
  const c = seccCase("iso2", "normal", {
    ...unknownSession,
    id: "t-ok",
    tester: { kind: "normal" },
    expect: { kind: "session-ok" },
  });
  const full = [...setup, rx(20, "CurrentDemandRes", "OK"), rx(30, "SessionStopRes", "OK")];
  assert.deepEqual(judge(c, trace(full), limits), { verdict: "pass" });
  const v = judge(c, trace([...setup, rx(20, "CurrentDemandRes", "FAILED")]), limits);
  assert.equal(v.verdict === "fail" && v.seen, "FAILED");
  const cut = judge(c, trace([...setup, rx(20, "CurrentDemandRes", "OK")]), limits);
  assert.equal(cut.verdict === "fail" && cut.message, "SessionStopRes");
});

test("field checks: a flag that must be true, a number that must stay at or below a limit (PhysicalValue)", () => {
  const c = seccCase("iso2", "value", {
    ...unknownSession,
    id: "t-field",
    tester: { kind: "mutate", at: at("CurrentDemandReq", 2), set: {} },
    expect: {
      kind: "response",
      response: "CurrentDemandRes",
      codes: ["OK"],
      continues: true,
      fields: [
        { path: "EVSECurrentLimitAchieved", oneOf: [true] },
        { path: "EVSEPresentVoltage", atMost: 900 },
      ],
    },
  });
  const res = (flag: boolean, v: number) =>
    trace(
      [
        ...setup,
        tx(10, "CurrentDemandReq", true),
        rx(11, "CurrentDemandRes", "OK", 1, {
          EVSECurrentLimitAchieved: flag,
          EVSEPresentVoltage: { Multiplier: 1, Unit: "V", Value: v },
        }),
      ],
      10,
    );
  assert.deepEqual(judge(c, res(true, 80), limits), { verdict: "pass" });
  const flag = judge(c, res(false, 80), limits);
  assert.equal(flag.verdict === "fail" && flag.field, "EVSECurrentLimitAchieved");
  const volts = judge(c, res(true, 95), limits);
  assert.deepEqual(volts.verdict === "fail" && [volts.field, volts.seen], ["EVSEPresentVoltage", "950"]);
});
