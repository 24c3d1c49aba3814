import assert from "node:assert/strict";
import { test } from "node:test";
import type { EvDcEffect } from "../../ev/dc/types.js";
import type { EvseDcEffect } from "../../evse/dc/types.js";
import {
  type EvHardwareEffect,
  type EvHardwareEvent,
  type EvseHardwareEffect,
  type EvseHardwareEvent,
  evCommandToEffect,
  evEffectToCommand,
  evEventToReading,
  evReadingToEvent,
  evseCommandToEffect,
  evseEffectToCommand,
  evseEventToReading,
  evseReadingToEvent,
} from "./mapping.js";

test("board mapping: EVSE hardware effects → commands 1:1, everything else → null", () => {
  const cases: [EvseDcEffect, unknown][] = [
    [
      { kind: "duty", duty: 5 },
      { type: "duty", duty: 5 },
    ],
    [
      { kind: "module", op: "set", voltageV: 400, currentA: 100 },
      { type: "module", op: "set", voltageV: 400, currentA: 100 },
    ],
    [
      { kind: "module", op: "off", emergency: false },
      { type: "module", op: "off", emergency: false },
    ],
    [
      { kind: "contactors", closed: true },
      { type: "contactors", closed: true },
    ],
    [
      { kind: "isolation", op: "start", voltageV: 500 },
      { type: "isolation", op: "start", voltageV: 500 },
    ],
    [
      { kind: "isolation", op: "stop" },
      { type: "isolation", op: "stop" },
    ],
    [{ kind: "set-timer", id: "x", atMs: 5 }, null],
    [{ kind: "phase", phase: "slac" }, null],
    [{ kind: "log", level: "info", msg: "m" }, null],
  ];
  for (const [effect, command] of cases) assert.deepEqual(evseEffectToCommand(effect), command);
});

test("board mapping: EVSE readings → events with tMs (measure into m; e-stop release → null)", () => {
  assert.deepEqual(evseReadingToEvent({ type: "cp", state: "C" }, 7), { kind: "cp", state: "C", tMs: 7 });
  assert.deepEqual(evseReadingToEvent({ type: "cp-fault", fault: "cp-short" }, 1), {
    kind: "cp-fault",
    fault: "cp-short",
    tMs: 1,
  });
  assert.deepEqual(evseReadingToEvent({ type: "diode", verified: true }, 1), {
    kind: "diode",
    verified: true,
    tMs: 1,
  });
  assert.deepEqual(evseReadingToEvent({ type: "pp", state: "latched" }, 1), {
    kind: "pp",
    state: "latched",
    tMs: 1,
  });
  assert.deepEqual(
    evseReadingToEvent(
      { type: "measure", voltageV: 400, isolation: { state: "done", level: "Valid", resistanceOhm: 5e5 } },
      2,
    ),
    {
      kind: "measure",
      m: { voltageV: 400, isolation: { state: "done", level: "Valid", resistanceOhm: 5e5 } },
      tMs: 2,
    },
  );
  assert.deepEqual(evseReadingToEvent({ type: "emergency-stop", pressed: true }, 3), {
    kind: "emergency-stop",
    tMs: 3,
  });
  assert.equal(evseReadingToEvent({ type: "emergency-stop", pressed: false }, 3), null);
});

test("board mapping: EV readings → events, EV hardware effects → commands", () => {
  assert.deepEqual(evReadingToEvent({ type: "duty", duty: 5 }, 1), { kind: "duty", duty: 5, tMs: 1 });
  assert.deepEqual(evReadingToEvent({ type: "pp", state: "unplugged" }, 1), {
    kind: "pp",
    state: "unplugged",
    tMs: 1,
  });
  assert.deepEqual(evReadingToEvent({ type: "lock", locked: true }, 1), {
    kind: "lock",
    locked: true,
    tMs: 1,
  });
  assert.deepEqual(evReadingToEvent({ type: "inlet", voltageV: 1, currentA: 2, acPresent: false }, 1), {
    kind: "inlet",
    voltageV: 1,
    currentA: 2,
    acPresent: false,
    tMs: 1,
  });
  assert.deepEqual(evReadingToEvent({ type: "bms", socPercent: 50, batteryVoltageV: 380 }, 1), {
    kind: "bms",
    socPercent: 50,
    batteryVoltageV: 380,
    tMs: 1,
  });
  const cases: [EvDcEffect, unknown][] = [
    [
      { kind: "s2", closed: true },
      { type: "s2", closed: true },
    ],
    [
      { kind: "contactors", closed: false },
      { type: "contactors", closed: false },
    ],
    [
      { kind: "lock", locked: true },
      { type: "lock", locked: true },
    ],
    [{ kind: "stop", reason: "x" }, null],
    [{ kind: "v2g-close", reason: "x" }, null],
  ];
  for (const [effect, command] of cases) assert.deepEqual(evEffectToCommand(effect), command);
});

test("board mapping: EVSE and EV effects round-trip through commands (effect → command → effect)", () => {
  const evse: EvseHardwareEffect[] = [
    { kind: "duty", duty: 5 },
    { kind: "duty", duty: 100 },
    { kind: "module", op: "set", voltageV: 400, currentA: 100 },
    { kind: "module", op: "off", emergency: true },
    { kind: "contactors", closed: true },
    { kind: "isolation", op: "start", voltageV: 500 },
    { kind: "isolation", op: "stop" },
  ];
  for (const e of evse) {
    const c = evseEffectToCommand(e);
    assert.ok(c, e.kind);
    assert.deepEqual(evseCommandToEffect(c), e);
  }
  const ev: EvHardwareEffect[] = [
    { kind: "s2", closed: true },
    { kind: "contactors", closed: false },
    { kind: "lock", locked: true },
  ];
  for (const e of ev) {
    const c = evEffectToCommand(e);
    assert.ok(c, e.kind);
    assert.deepEqual(evCommandToEffect(c), e);
  }
});

test("board mapping: EVSE and EV events round-trip through readings (event → reading → event)", () => {
  const evse: EvseHardwareEvent[] = [
    { kind: "cp", state: "B", tMs: 4 },
    { kind: "cp-fault", fault: "diode-fault", tMs: 4 },
    { kind: "diode", verified: false, tMs: 4 },
    { kind: "pp", state: "unlatched", tMs: 4 },
    { kind: "measure", m: {}, tMs: 4 },
    {
      kind: "measure",
      m: {
        voltageV: 398.5,
        currentA: -0.2,
        energyWh: 12,
        isolation: { state: "running", level: "Invalid" },
        contactorsClosed: false,
      },
      tMs: 4,
    },
    { kind: "emergency-stop", tMs: 4 },
  ];
  for (const e of evse) assert.deepEqual(evseReadingToEvent(evseEventToReading(e), e.tMs), e);
  assert.deepEqual(evseEventToReading({ kind: "emergency-stop", tMs: 1 }), {
    type: "emergency-stop",
    pressed: true,
  });
  const ev: EvHardwareEvent[] = [
    { kind: "duty", duty: 5, tMs: 9 },
    { kind: "pp", state: "latched", tMs: 9 },
    { kind: "lock", locked: false, tMs: 9 },
    { kind: "inlet", voltageV: 12.5, currentA: 0, acPresent: true, tMs: 9 },
    { kind: "bms", socPercent: 42.1, batteryVoltageV: 720, tMs: 9 },
  ];
  for (const e of ev) assert.deepEqual(evReadingToEvent(evEventToReading(e), e.tMs), e);
});
