/**
 * ISO 15118-2 (and DIN 70121) ChargeParameterDiscoveryRes SAScheduleList from a backend power schedule: one
 * PMaxScheduleEntry per period (start relative to now, PMax capped by the rating, the last with the duration,
 * at most 1024), today's single-day entry without one; ISO-2 renegotiation when the SECC is asked in the charge
 * loop (EVSENotification ReNegotiation → PowerDelivery(Renegotiate) → ChargeParameterDiscovery with the new
 * schedule → PowerDelivery(Start), no new cable check); DIN ignores the request.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { PowerSchedule } from "../../ports/secc-ports.js";
import { createSecc } from "../../session/secc.js";
import {
  type Driver,
  dcToChargeLoop,
  ends,
  event,
  request,
  startSecc,
  through,
  withProgress,
} from "../../session/testing/drive-secc.js";
import type { MsgName } from "../../session/types.js";

const TO_AUTH: MsgName[] = ["SessionSetup", "ServiceDiscovery", "PaymentSelection", "Authorization"];
type Entry = { RelativeTimeInterval: { start: number; duration?: number }; PMax: unknown };

const pmaxW = (p: unknown) => {
  if (typeof p === "number") return p; // DIN PMaxType: a plain number
  const v = p as { Value: number; Multiplier: number };
  return v.Value * 10 ** v.Multiplier;
};

/** The PMaxScheduleEntry list of a ChargeParameterDiscoveryRes body as [start, W, duration?]. */
function entries(body: Record<string, unknown> | undefined): [number, number, number?][] {
  const list = body?.SAScheduleList as {
    SAScheduleTuple: { PMaxSchedule: { PMaxScheduleEntry: Entry[] } }[];
  };
  return list.SAScheduleTuple[0]!.PMaxSchedule.PMaxScheduleEntry.map((e) => {
    const r = e.RelativeTimeInterval;
    return r.duration === undefined
      ? [Number(r.start), pmaxW(e.PMax)]
      : [Number(r.start), pmaxW(e.PMax), Number(r.duration)];
  });
}

/** A schedule of `periods` handed to the SECC at `atMs`. */
function give(d: Driver, atMs: number, periods: [number, number | null][]): void {
  const powerSchedule: PowerSchedule = {
    atMs,
    periods: periods.map(([startS, limitW]) => ({ startS, limitW })),
  };
  event(d, { kind: "port", readings: { powerSchedule }, tMs: d.t });
}

test("iso2: a schedule → one PMaxScheduleEntry per period from now, capped by the rating, the last with the duration; none → the single-day entry", () => {
  const none = startSecc("iso2");
  through(none, TO_AUTH);
  assert.deepEqual(entries(request(none, "ChargeParameterDiscovery")?.body), [[0, 150_000, 86_400]]);
  const d = startSecc("iso2");
  through(d, TO_AUTH);
  // handed 100 s before this CPD (at t=d.t-100 s): 50 kW, 600 s: 200 kW (above the 150 kW rating), 900 s: none
  give(d, d.t + 50 - 100_000, [
    [0, 50_000],
    [600, 200_000],
    [900, null],
    [1200, 20_000],
  ]);
  const r = request(d, "ChargeParameterDiscovery");
  assert.equal(r?.body.ResponseCode, "OK");
  // 200 kW and "none" both become the 150 kW rating and merge
  assert.deepEqual(entries(r?.body), [
    [0, 50_000],
    [500, 150_000],
    [1100, 20_000, 86_400 - 1100],
  ]);
});

test("iso2: 2,000 periods → the schema's 1,024 entries, encodable; the schedule ends where the 1,025th began", () => {
  const d = startSecc("iso2");
  through(d, TO_AUTH);
  give(
    d,
    d.t + 50,
    Array.from({ length: 2000 }, (_, i) => [i * 10, (i % 2) * 10_000 + 10_000] as [number, number]),
  );
  const e = entries(request(d, "ChargeParameterDiscovery")?.body);
  assert.equal(e.length, 1024);
  assert.deepEqual(e.at(-1), [10_230, 20_000, 10]);
});

/**
 * A DC session in its charge loop (PowerDelivery Start answered, one CurrentDemand); `periods`: a schedule
 * handed before ChargeParameterDiscovery, whose entries are `cpd`.
 */
function charging(
  protocol: "din" | "iso2",
  notificationMaxDelayS = 3,
  periods?: [number, number | null][],
): Driver & { cpd: ReturnType<typeof entries> } {
  const d = startSecc(protocol, { notificationMaxDelayS, readings: { ...createSecc().readings } });
  through(d, TO_AUTH);
  if (periods) give(d, d.t + 50, periods);
  const cpd = entries(request(d, "ChargeParameterDiscovery")?.body);
  dcToChargeLoop(d);
  return Object.assign(d, { cpd });
}

test("iso2: a new schedule in the loop → ReNegotiation with NotificationMaxDelay; the EV's renegotiation gets it, no cable check", () => {
  const d = charging("iso2", 3);
  give(d, d.t, [
    [0, 30_000],
    [300, 80_000],
  ]);
  const st = request(d, "CurrentDemand")?.body.DC_EVSEStatus as Record<string, unknown>;
  assert.equal(st.EVSENotification, "ReNegotiation");
  assert.equal(st.NotificationMaxDelay, 3);
  withProgress(d, "renegotiate");
  assert.equal(request(d, "PowerDelivery")?.body.ResponseCode, "OK");
  const r = request(d, "ChargeParameterDiscovery");
  assert.equal(r?.body.ResponseCode, "OK");
  const [first, second] = entries(r?.body);
  assert.deepEqual(first, [0, 30_000]);
  assert.equal(second![1], 80_000);
  withProgress(d, "start");
  assert.equal(request(d, "PowerDelivery")?.body.ResponseCode, "OK");
  const loop = request(d, "CurrentDemand");
  assert.equal(loop?.body.ResponseCode, "OK");
  assert.equal((loop?.body.DC_EVSEStatus as Record<string, unknown>).EVSENotification, "None");
  assert.deepEqual(ends(d), [], "the session goes on, the notification timer cleared");
});

test("din: the same mapping in DIN's PMaxType (capped at 32767); renegotiate is not defined → ignored, no notification", () => {
  const d = charging("din", 3, [
    [0, 10_000],
    [60, 50_000],
  ]);
  assert.deepEqual(d.cpd, [
    [0, 10_000],
    [60, 32_767, 86_340],
  ]);
  const fx = event(d, { kind: "control", control: { op: "renegotiate" }, tMs: d.t });
  assert.ok(fx.some((f) => f.kind === "log" && /not defined for DIN 70121/.test(f.msg)));
  const st = request(d, "CurrentDemand")?.body.DC_EVSEStatus as Record<string, unknown>;
  assert.equal(st.EVSENotification, "None");
});

test("iso2: the same schedule again → no renegotiation; one that came between ChargeParameterDiscovery and PowerDelivery → ReNegotiation as the loop begins", () => {
  const same = charging("iso2", 3, [[0, 40_000]]);
  give(same, same.t - 1_000, [[0, 40_000]]);
  const st0 = request(same, "CurrentDemand")?.body.DC_EVSEStatus as Record<string, unknown>;
  assert.equal(st0.EVSENotification, "None", "unchanged from now on");

  const d = startSecc("iso2", { notificationMaxDelayS: 3 });
  through(d, [...TO_AUTH, "ChargeParameterDiscovery"]);
  event(d, { kind: "cp", state: "C", tMs: d.t });
  request(d, "CableCheck");
  give(d, d.t, [[0, 25_000]]);
  event(d, { kind: "port", readings: { isolation: { state: "done", level: "Valid" } }, tMs: d.t });
  through(d, ["CableCheck", "PreCharge"]);
  withProgress(d, "start");
  const pd = request(d, "PowerDelivery");
  assert.equal((pd?.body.DC_EVSEStatus as Record<string, unknown>).EVSENotification, "ReNegotiation");
  const st = request(d, "CurrentDemand")?.body.DC_EVSEStatus as Record<string, unknown>;
  assert.equal(st.EVSENotification, "ReNegotiation");
});
