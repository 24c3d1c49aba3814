/**
 * ISO 15118-20 ScheduleExchangeRes from a backend power schedule (Scheduled mode): one PowerScheduleEntry per
 * period with its Duration, at most the EV's MaximumSupportingPoints; schedule renegotiation (flow unconfirmed)
 * when switched on: EVSENotification ScheduleRenegotiation in DC_ChargeLoopRes → PowerDelivery(Schedule-
 * Renegotiation) → ScheduleExchange with the new schedule → PowerDelivery(Start) → the loop, the output on.
 * Dynamic mode has no schedule to renegotiate: the request is ignored.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Iso20ControlMode } from "../../session/iso20-session.js";
import type { SeccConfig } from "../../session/secc-state.js";
import {
  type Driver,
  dc20ToPowerDelivery,
  ends,
  event,
  ISO20_THROUGH_SELECTION,
  request,
  startSecc20Dc,
  withProgress,
} from "../../session/testing/drive-secc.js";

type Pse = { Duration: number; Power: { Value: number; Exponent: number } };

/** [Duration, W] of each PowerScheduleEntry of a ScheduleExchangeRes body. */
function entries(body: Record<string, unknown> | undefined): [number, number][] {
  const sched = body?.Scheduled_SEResControlMode as {
    ScheduleTuple: {
      ChargingSchedule: { PowerSchedule: { PowerScheduleEntries: { PowerScheduleEntry: Pse[] } } };
    }[];
  };
  return sched.ScheduleTuple[0]!.ChargingSchedule.PowerSchedule.PowerScheduleEntries.PowerScheduleEntry.map(
    (e) => [e.Duration, e.Power.Value * 10 ** e.Power.Exponent],
  );
}

function give(d: Driver, periods: [number, number | null][]): void {
  const powerSchedule = { atMs: d.t, periods: periods.map(([startS, limitW]) => ({ startS, limitW })) };
  event(d, { kind: "port", readings: { powerSchedule }, tMs: d.t });
}

/** A -20 DC session up to ScheduleExchange answered (`patch` on its request). */
function toSchedule(
  mode: Iso20ControlMode,
  cfg: Partial<SeccConfig> = {},
  periods?: [number, number | null][],
  patch?: (b: Record<string, unknown>) => Record<string, unknown>,
): { d: Driver; se: Record<string, unknown> | undefined } {
  const d = startSecc20Dc(mode, cfg);
  for (const n of [...ISO20_THROUGH_SELECTION, "ChargeParameterDiscovery"] as const) request(d, n);
  if (periods) give(d, periods);
  const se = request(d, "ScheduleExchange", patch ? { patch } : {})?.body;
  return { d, se };
}

/** On into the charge loop (PowerDelivery Start answered, one DC_ChargeLoopReq). */
function charge(d: Driver): void {
  dc20ToPowerDelivery(d);
  assert.equal(request(d, "CurrentDemand", { dtMs: 100 })?.body.ResponseCode, "OK");
}

test("iso20 scheduled: a schedule → one PowerScheduleEntry per period (Durations to one day, capped by the rating), at most MaximumSupportingPoints", () => {
  const { se } = toSchedule("scheduled", {}, [
    [0, 50_000],
    [600, 400_000],
    [900, 20_000],
  ]);
  assert.deepEqual(entries(se), [
    [600, 50_000],
    [300, 150_000],
    [86_400 - 900, 20_000],
  ]);
  const many = Array.from({ length: 40 }, (_, i) => [i * 60, 10_000 + (i % 2) * 5_000] as [number, number]);
  const capped = toSchedule("scheduled", {}, many, (b) => ({ ...b, MaximumSupportingPoints: 12 }));
  const e = entries(capped.se);
  assert.equal(e.length, 12, "the EV's MaximumSupportingPoints");
  assert.equal(
    e.reduce((a, [dur]) => a + dur, 0),
    12 * 60,
    "ends where the 13th period began",
  );
});

test("iso20 scheduled, renegotiation on: a new schedule in the loop → ScheduleRenegotiation → PowerDelivery(ScheduleRenegotiation) → the new schedule → PowerDelivery(Start) → the loop, output on; Dynamic: ignored", () => {
  const { d } = toSchedule("scheduled", { iso20ScheduleRenegotiation: true, notificationMaxDelayS: 4 }, [
    [0, 50_000],
  ]);
  charge(d);
  give(d, [
    [0, 30_000],
    [300, 80_000],
  ]);
  const loop = request(d, "CurrentDemand", { dtMs: 100 });
  assert.deepEqual(loop?.body.EVSEStatus, {
    NotificationMaxDelay: 4,
    EVSENotification: "ScheduleRenegotiation",
  });
  withProgress(d, "renegotiate");
  const pd = request(d, "PowerDelivery", { dtMs: 100 });
  assert.equal(pd?.body.ResponseCode, "OK");
  assert.equal(pd?.body.EVSEStatus, undefined, "the notification is answered");
  assert.ok(
    !d.fx.some(
      (f) => f.kind === "port-command" && f.command.port === "power-stage" && f.command.op === "off",
    ),
    "the output stays on",
  );
  const se = request(d, "ScheduleExchange");
  assert.equal(se?.body.ResponseCode, "OK");
  assert.deepEqual(entries(se?.body), [
    [300, 30_000],
    [86_100, 80_000],
  ]);
  withProgress(d, "start");
  assert.equal(request(d, "PowerDelivery")?.body.ResponseCode, "OK");
  const after = request(d, "CurrentDemand", { dtMs: 100 });
  assert.equal(after?.body.ResponseCode, "OK");
  assert.equal(after?.body.EVSEStatus, undefined);
  assert.deepEqual(ends(d), []);

  const dyn = toSchedule("dynamic", { iso20ScheduleRenegotiation: true }).d;
  charge(dyn);
  give(dyn, [[0, 30_000]]);
  assert.equal(dyn.s.notification, "None", "a new schedule: nothing to renegotiate in Dynamic mode");
  const fx = event(dyn, { kind: "control", control: { op: "renegotiate" }, tMs: dyn.t });
  assert.ok(fx.some((f) => f.kind === "log" && /not defined for ISO 15118-20 outside Scheduled/.test(f.msg)));
  assert.equal(request(dyn, "CurrentDemand", { dtMs: 100 })?.body.EVSEStatus, undefined);
});
