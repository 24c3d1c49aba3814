/** The EVSE controller and its local PLC modem: the SLAC machine's key goes out as `slac-set-key`. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { evseDcConfig, initialEvseDc, powerModuleConfig, stepEvseDc } from "./index.js";

const cfg = (modem: "none" | "qca") =>
  evseDcConfig({
    module: powerModuleConfig(),
    slac: { mac: Uint8Array.of(2, 0, 0, 0, 0, 5), random: (n) => new Uint8Array(n).fill(9), modem },
  });

test("plug-in (CP B): a fresh NMK/NID goes to the local modem as slac-set-key (the port's modem decides)", () => {
  for (const modem of ["qca", "none"] as const) {
    const [, fx] = stepEvseDc(initialEvseDc(cfg(modem)), { kind: "cp", state: "B", tMs: 10 });
    const keys = fx.filter((f) => f.kind === "slac-set-key");
    assert.equal(keys.length, 1, `${modem}: ${fx.map((f) => f.kind)}`);
    const k = keys[0];
    if (k?.kind === "slac-set-key") {
      assert.equal(k.nmk.length, 16);
      assert.equal(k.nid.length, 7);
    }
  }
});
