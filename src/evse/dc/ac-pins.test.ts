/** The EVSE controller with its pins on the mains relay (ISO 15118-2 AC): what it offers and how it trips. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { evseDcConfig, initialEvseDc, powerModuleConfig, stepEvseDc } from "./index.js";

const cfg = (pins: "ac" | "dc") =>
  evseDcConfig({
    pins,
    module: powerModuleConfig(),
    slac: { mac: new Uint8Array(6), random: (n) => new Uint8Array(n) },
  });

test("AC pins: the SECC offers AC_single_phase_core and the configured supply; DC pins offer DC_extended", () => {
  const ac = initialEvseDc({ ...cfg("ac"), ac: { nominalVoltageV: 230, maxCurrentA: 32 } });
  assert.deepEqual(ac.secc.cfg.energyModes, ["AC_single_phase_core"]);
  assert.equal(ac.secc.readings.ac.maxCurrentA, 32);
  assert.equal(ac.secc.readings.ac.nominalVoltageV, 230);
  assert.deepEqual(initialEvseDc(cfg("dc")).secc.cfg.energyModes, ["DC_extended"]);
});

test("AC pins: an EV (CP B) gets 5 % for high-level communication, as with DC pins", () => {
  const [, fx] = stepEvseDc(initialEvseDc(cfg("ac")), { kind: "cp", state: "B", tMs: 10 });
  assert.ok(
    fx.some((f) => f.kind === "duty" && f.duty === 5),
    JSON.stringify(fx),
  );
});

test("a trip commands the power module off with DC pins, never with AC pins (the relay is the output)", () => {
  for (const pins of ["dc", "ac"] as const) {
    const [s, fx] = stepEvseDc(initialEvseDc(cfg(pins)), { kind: "emergency-stop", tMs: 5 });
    assert.equal(s.safety.trip?.fault, "emergency-stop");
    assert.equal(
      fx.some((f) => f.kind === "module"),
      pins === "dc",
      `${pins}: ${JSON.stringify(fx.map((f) => f.kind))}`,
    );
    assert.equal(s.safety.breaksUnderLoad, pins === "ac");
  }
});
