/**
 * `judge` of cases with the car under test (`--sut evcc`): each EVCC expectation passes on the trace of a
 * car that does what the case requires and fails — naming the field, what was expected and what was seen —
 * on one that does not (the verdicts the EVCC catalogue's groups rely on).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { EVCC_CATALOGUE } from "../catalogue/evcc.js";
import { defaultLimits } from "../profile.js";
import type { CaseTrace, ConformanceCase, TraceEvent, Verdict } from "../types.js";
import { judge } from "../verdict.js";

const limits = defaultLimits();
const byId = (id: string): ConformanceCase => {
  const c = EVCC_CATALOGUE.find((x) => x.id === id);
  if (!c) throw new Error(id);
  return c;
};
const rx = (tMs: number, name: string, body: Record<string, unknown> = {}): TraceEvent => ({
  kind: "rx",
  tMs,
  name,
  body,
  afterMs: 1,
});
const tx = (tMs: number, name: string, deviation = false): TraceEvent => ({
  kind: "tx",
  tMs,
  name,
  bytes: 40,
  ...(deviation && { deviation }),
});
const trace = (
  events: TraceEvent[],
  deviationAtMs: number | null,
  protocol: "din" | "iso2" = "din",
): CaseTrace => ({
  protocol,
  events,
  deviationAtMs,
  durationMs: 10_000,
});
const failField = (v: Verdict): string => (v.verdict === "fail" ? v.field : v.verdict);

/** The charge loop of a car drawing current with S2 closed, up to CurrentDemandRes #2 at 1000 ms. */
const charging: TraceEvent[] = [
  { kind: "open", tMs: 0 },
  { kind: "cp", tMs: 100, state: "C" },
  rx(800, "CurrentDemandReq"),
  { kind: "inlet", tMs: 850, currentA: 100, voltageV: 600 },
  tx(801, "CurrentDemandRes"),
  rx(900, "CurrentDemandReq"),
];

test("ev-ends (CurrentDemandRes FAILED): passes when the car closes, opens S2 and stops the current in time", () => {
  const c = byId("evcc-din-value-007");
  const ok = trace(
    [
      ...charging,
      tx(1000, "CurrentDemandRes", true),
      { kind: "cp", tMs: 1010, state: "B" },
      { kind: "inlet", tMs: 1050, currentA: 0, voltageV: 600 },
      { kind: "close", tMs: 1020, by: "remote" },
    ],
    1000,
  );
  assert.deepEqual(judge(c, ok, limits), { verdict: "pass" });
});

test("ev-ends fails on the car going on, on a late close, on S2 left closed and on current still flowing", () => {
  const c = byId("evcc-din-value-007");
  const goesOn = trace([...charging, tx(1000, "CurrentDemandRes", true), rx(1100, "CurrentDemandReq")], 1000);
  const v = judge(c, goesOn, limits);
  assert.equal(failField(v), "message");
  assert.ok(v.verdict === "fail" && v.seen === "CurrentDemandReq");
  const neverCloses = trace([...charging, tx(1000, "CurrentDemandRes", true)], 1000);
  const v2 = judge(c, neverCloses, limits);
  assert.equal(failField(v2), "connection");
  assert.ok(v2.verdict === "fail" && /still open/.test(v2.seen));
  const s2Closed = trace(
    [...charging, tx(1000, "CurrentDemandRes", true), { kind: "close", tMs: 1020, by: "remote" }],
    1000,
  );
  assert.equal(failField(judge(c, s2Closed, limits)), "S2");
  const current = trace(
    [
      ...charging,
      tx(1000, "CurrentDemandRes", true),
      { kind: "close", tMs: 1020, by: "remote" },
      { kind: "cp", tMs: 1030, state: "B" },
    ],
    1000,
  );
  assert.equal(failField(judge(c, current, limits)), "inletCurrent");
});

test("ev-ends with a timeout (silent SessionSetupRes): the close must come at V2G_EVCC_Msg_Timeout, not before", () => {
  const c = byId("evcc-din-timing-001");
  const at = (closeMs: number) =>
    trace(
      [
        { kind: "open", tMs: 0 },
        rx(100, "SessionSetupReq"),
        { kind: "tx", tMs: 101, name: "(SessionSetupRes not sent)", bytes: 0 },
        { kind: "close", tMs: 100 + closeMs, by: "remote" },
      ],
      101,
    );
  assert.deepEqual(judge(c, at(2_000), limits), { verdict: "pass" });
  const early = judge(c, at(500), limits);
  assert.ok(early.verdict === "fail" && /not closed before 2000 ms/.test(early.expected));
  assert.equal(failField(judge(c, at(4_000), limits)), "connection");
});

test("ev-request: the car's next request and its fields (StopCharging → PowerDelivery stop)", () => {
  const c = byId("evcc-iso2-normal-002");
  const next = (body: Record<string, unknown>, name = "PowerDeliveryReq") =>
    trace([...charging, tx(1000, "CurrentDemandRes", true), rx(1100, name, body)], 1000, "iso2");
  assert.deepEqual(judge(c, next({ ChargeProgress: "Stop" }), limits), { verdict: "pass" });
  assert.equal(failField(judge(c, next({ ChargeProgress: "Start" }), limits)), "ChargeProgress");
  assert.equal(failField(judge(c, next({}, "CurrentDemandReq"), limits)), "message");
  const none = judge(c, trace([...charging, tx(1000, "CurrentDemandRes", true)], 1000, "iso2"), limits);
  assert.equal(failField(none), "message");
});

test("ev-sdp-retry, ev-refuses-tls, ev-session-ok; inconclusive without the trigger or with a setup error", () => {
  const sdp = (n: number, session: boolean) =>
    trace(
      [
        ...Array.from(
          { length: n },
          (_, i): TraceEvent => ({ kind: "ev-sdp", tMs: i * 250, answered: i >= 2 }),
        ),
        ...(session ? [rx(n * 250 + 10, "supportedAppProtocolReq")] : []),
      ],
      0,
    );
  const retry = byId("evcc-din-transport-006");
  assert.deepEqual(judge(retry, sdp(3, true), limits), { verdict: "pass" });
  assert.equal(failField(judge(retry, sdp(1, false), limits)), "SDP");
  const tls = byId("evcc-iso2-transport-007");
  assert.deepEqual(judge(tls, sdp(1, false), limits), { verdict: "pass" });
  assert.equal(failField(judge(tls, sdp(1, true), limits)), "TLS");
  const normal = byId("evcc-din-normal-001");
  const session = (names: string[]) =>
    trace(
      names.map((n, i) => rx(i * 10, n)),
      null,
    );
  assert.deepEqual(judge(normal, session(["CurrentDemandReq", "SessionStopReq"]), limits), {
    verdict: "pass",
  });
  assert.equal(failField(judge(normal, session(["CableCheckReq"]), limits)), "message");
  assert.equal(judge(byId("evcc-din-value-007"), trace(charging, null), limits).verdict, "inconclusive");
  const setup = { ...trace([], null), setupError: "no SDP request" };
  assert.deepEqual(judge(normal, setup, limits), { verdict: "inconclusive", why: "no SDP request" });
});

test("ev-ends: a car that ends with SessionStopReq may leave the close to the SECC after SessionStopRes", () => {
  const c = byId("evcc-din-value-011");
  const t = (by: "local" | "remote", stop: boolean) =>
    trace(
      [
        { kind: "open", tMs: 0 },
        rx(100, "ChargeParameterDiscoveryReq"),
        tx(101, "ChargeParameterDiscoveryRes", true),
        ...(stop ? [rx(150, "SessionStopReq"), tx(151, "SessionStopRes")] : []),
        { kind: "close", tMs: 152, by },
      ],
      101,
    );
  assert.deepEqual(judge(c, t("local", true), limits), { verdict: "pass" });
  assert.deepEqual(judge(c, t("remote", true), limits), { verdict: "pass" });
  assert.equal(failField(judge(c, t("local", false), limits)), "connection");
});

test("j3400 (the tester's emergency stop): the SECC may close first, but the car's current must stop in time", () => {
  const c = byId("evcc-din-j3400-001");
  const after = (events: TraceEvent[]) =>
    trace(
      [...charging, tx(1000, "CurrentDemandRes", true), { kind: "cp", tMs: 1001, state: "F" }, ...events],
      1000,
    );
  const stops = after([
    { kind: "inlet", tMs: 1100, currentA: 0, voltageV: 0 },
    { kind: "close", tMs: 1500, by: "local" },
  ]);
  assert.deepEqual(judge(c, stops, limits), { verdict: "pass" });
  const draws = after([rx(1100, "CurrentDemandReq"), { kind: "close", tMs: 1500, by: "local" }]);
  assert.equal(failField(judge(c, draws, limits)), "inletCurrent");
  const never = after([{ kind: "inlet", tMs: 1100, currentA: 0, voltageV: 0 }]);
  assert.equal(failField(judge(c, never, limits)), "connection");
  const goesOn = after([rx(1100, "CableCheckReq")]);
  assert.equal(failField(judge(c, goesOn, limits)), "message");
});
