/**
 * The backend's power schedule at the EVSE: kept for the SECC's schedules, refused (naming the field and
 * the rule) when malformed, and a change in the charge loop — only a real change — asks the EV to renegotiate.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { evseDcConfig, initialEvseDc, powerModuleConfig, stepEvseDc } from "./index.js";
import type { EvseDcState } from "./state.js";

const cfg = evseDcConfig({
  pins: "dc",
  module: powerModuleConfig("1000v", 250_000),
  slac: { mac: new Uint8Array(6), random: (n) => new Uint8Array(n) },
});

/** The EVSE with its SECC in an ISO-2 (or -20 `mode`) charge loop. */
function inLoop(
  protocol: "iso2" | "iso20" | "din",
  mode: "scheduled" | "dynamic" = "scheduled",
): EvseDcState {
  const s = initialEvseDc(cfg);
  return {
    ...s,
    phase: "session",
    secc: {
      ...s.secc,
      conn: "session",
      protocol,
      powerDelivery: "start",
      last: "CurrentDemand",
      ...(protocol === "iso20" && { iso20: { ...(s.secc.iso20 ?? {}), controlMode: mode } as never }),
    },
  };
}

const P1 = [
  { startS: 0, limitW: 50_000 },
  { startS: 600, limitW: 120_000 },
];

test("power schedule: kept and handed to the SECC; malformed periods refused, naming the field and the rule", () => {
  const s0 = initialEvseDc(cfg);
  const [s1, fx] = stepEvseDc(s0, { kind: "set-power-schedule", periods: P1, tMs: 5_000 });
  assert.deepEqual(s1.powerSchedule, { atMs: 5_000, periods: P1 });
  assert.deepEqual(s1.secc.readings.powerSchedule, { atMs: 5_000, periods: P1 });
  assert.ok(fx.some((f) => f.kind === "log" && /\+600 s 120 kW/.test(f.msg)));
  assert.ok(
    !fx.some((f) => f.kind === "log" && /renegotiation/.test(f.msg)),
    "no session: nothing to renegotiate",
  );
  for (const [periods, rule] of [
    [[{ startS: -1, limitW: 1 }], /periods\[0\]\.startS -1: must be a finite number ≥ 0/],
    [
      [
        { startS: 0, limitW: 1 },
        { startS: 0, limitW: 2 },
      ],
      /periods\[1\]\.startS 0: .*ascending/,
    ],
    [[{ startS: 0, limitW: Number.NaN }], /periods\[0\]\.limitW NaN: must be null or a finite number ≥ 0/],
  ] as const) {
    const [s2, fx2] = stepEvseDc(s1, { kind: "set-power-schedule", periods, tMs: 6_000 });
    assert.deepEqual(s2.powerSchedule, s1.powerSchedule, "the schedule kept");
    assert.deepEqual(s2.secc.readings, s1.secc.readings);
    assert.ok(
      fx2.some((f) => f.kind === "log" && f.level === "warn" && rule.test(f.msg)),
      String(rule),
    );
  }
  const [s3] = stepEvseDc(s1, { kind: "set-power-schedule", periods: null, tMs: 7_000 });
  assert.equal(s3.powerSchedule, null);
  assert.equal(s3.secc.readings.powerSchedule, null);
});

const renegotiates = (s: EvseDcState) => s.secc.notification === "ReNegotiation";

test("power schedule: a change in an ISO-2 / -20 Scheduled charge loop → renegotiation; the same schedule again, DIN, -20 Dynamic → none", () => {
  const [a] = stepEvseDc(inLoop("iso2"), { kind: "set-power-schedule", periods: P1, tMs: 1_000 });
  assert.ok(renegotiates(a), "ISO-2: ReNegotiation");
  // the same limits handed again 100 s later (its periods now relative to then): no change
  const loop = inLoop("iso2");
  const [same] = stepEvseDc(
    { ...loop, powerSchedule: a.powerSchedule, secc: { ...loop.secc, scheduleSent: a.powerSchedule } },
    {
      kind: "set-power-schedule",
      periods: [
        { startS: 0, limitW: 50_000 },
        { startS: 500, limitW: 120_000 },
      ],
      tMs: 101_000,
    },
  );
  assert.ok(!renegotiates(same), "unchanged from now on");
  const [s20] = stepEvseDc(inLoop("iso20"), { kind: "set-power-schedule", periods: P1, tMs: 1_000 });
  assert.ok(renegotiates(s20), "-20 Scheduled: ScheduleRenegotiation");
  for (const s of [inLoop("din"), inLoop("iso20", "dynamic")]) {
    const [n] = stepEvseDc(s, { kind: "set-power-schedule", periods: P1, tMs: 1_000 });
    assert.ok(!renegotiates(n), `${s.secc.protocol}: none`);
    assert.deepEqual(n.secc.readings.powerSchedule, { atMs: 1_000, periods: P1 }, "kept all the same");
  }
});
