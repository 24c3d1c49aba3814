/** A run-time power limit (operator, backend): what the SECC announces, and that clearing it restores the rating. */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { evseDcConfig, initialEvseDc, powerModuleConfig, stepEvseDc } from "./index.js";
import { portCommand } from "./secc-glue.js";
import type { EvseDcEffect } from "./types.js";

const cfg = (pins: "ac" | "dc") =>
  evseDcConfig({
    pins,
    module: powerModuleConfig("1000v", 250_000),
    ac: { nominalVoltageV: 230, maxCurrentA: 32 },
    slac: { mac: new Uint8Array(6), random: (n) => new Uint8Array(n) },
  });

test("power limit: announced in both directions, capped by the rating, cleared by null", () => {
  const s0 = initialEvseDc(cfg("dc"));
  const [s1, fx] = stepEvseDc(s0, { kind: "set-power-limit", maxPowerW: 50_000, tMs: 1 });
  assert.equal(s1.secc.readings.dc.maxPowerW, 50_000);
  assert.equal(s1.secc.readings.dc.maxDischargePowerW, 50_000);
  assert.equal(s1.secc.readings.dc.maxCurrentA, s0.secc.readings.dc.maxCurrentA, "current rating unchanged");
  assert.ok(fx.some((f) => f.kind === "log" && /50 kW/.test(f.msg)));
  const [s2] = stepEvseDc(s1, { kind: "set-power-limit", maxPowerW: 400_000, tMs: 2 });
  assert.equal(s2.secc.readings.dc.maxPowerW, 250_000, "never above the module's rating");
  const [s3] = stepEvseDc(s1, { kind: "set-power-limit", maxPowerW: null, tMs: 3 });
  assert.deepEqual(s3.secc.readings, s0.secc.readings, "cleared: the ratings again");
});

test("power limit: with AC pins, EVSEMaxCurrent becomes P / U (at most the supply's rating)", () => {
  const s0 = initialEvseDc(cfg("ac"));
  const [s1] = stepEvseDc(s0, { kind: "set-power-limit", maxPowerW: 4_600, tMs: 1 });
  assert.equal(s1.secc.readings.ac.maxCurrentA, 20);
  const [s2] = stepEvseDc(s1, { kind: "set-power-limit", maxPowerW: 22_000, tMs: 2 });
  assert.equal(s2.secc.readings.ac.maxCurrentA, 32);
  const [s3] = stepEvseDc(s2, { kind: "set-power-limit", maxPowerW: null, tMs: 3 });
  assert.deepEqual(s3.secc.readings.ac, s0.secc.readings.ac);
});

test("power limit: a value that is not a positive number is refused with a warning, the state kept", () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.constant(Number.NaN), fc.constant(Number.POSITIVE_INFINITY), fc.double({ max: 0 })),
      (w) => {
        const s0 = initialEvseDc(cfg("dc"));
        const [s1, fx] = stepEvseDc(s0, { kind: "set-power-limit", maxPowerW: w, tMs: 1 });
        assert.equal(s1.powerLimitW, null);
        assert.deepEqual(s1.secc.readings, s0.secc.readings);
        assert.ok(fx.some((f) => f.kind === "log" && f.level === "warn" && /refused/.test(f.msg)));
      },
    ),
  );
});

test("power limit: the output set point is capped by it even when the EV keeps asking for more", () => {
  const [limited] = stepEvseDc(initialEvseDc(cfg("dc")), {
    kind: "set-power-limit",
    maxPowerW: 50_000,
    tMs: 1,
  });
  // in the charge loop, at 700 V, an EV that still asks for 350 A (it has not read the new limit yet)
  const s = {
    ...limited,
    meas: { ...limited.meas, voltageV: 700 },
    secc: {
      ...limited.secc,
      powerDelivery: "start" as const,
      ev: { ...limited.secc.ev, targetCurrentA: 350 },
    },
  };
  const fx: EvseDcEffect[] = [];
  portCommand(s, { port: "power-stage", op: "set", voltageV: 800, currentA: 350 }, fx);
  const set = fx.find((f) => f.kind === "module" && f.op === "set");
  assert.ok(set && set.kind === "module" && set.op === "set");
  assert.ok(Math.abs(set.currentA - 50_000 / 700) < 1e-6, `set point ${set.currentA} A`);
  assert.ok(
    fx.some((f) => f.kind === "limits" && f.power),
    "EVSEPowerLimitAchieved",
  );
  const fx2: EvseDcEffect[] = [];
  portCommand(s, { port: "power-stage", op: "set", voltageV: 800, currentA: -350 }, fx2);
  const back = fx2.find((f) => f.kind === "module" && f.op === "set");
  assert.ok(back?.kind === "module" && back.op === "set" && Math.abs(back.currentA + 50_000 / 700) < 1e-6);
});
